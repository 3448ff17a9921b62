using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// Registers the cluster drivers when they are configured: step 4 (<see cref="KubernetesNamespaceDriver"/>) with
/// <c>Drivers:Kubernetes</c>, step 9 (<see cref="KubernetesDnsTlsDriver"/>) with <c>Drivers:Kubernetes</c> and
/// <c>Drivers:Dns:IngressTarget</c>. Without them nothing is registered and the defaults stay (GitOps folder for
/// step 4, "skipped" for step 9). An incomplete configuration fails at start-up.
/// </summary>
public static class KubernetesDriverRegistration
{
    public static IServiceCollection AddKubernetesDrivers(this IServiceCollection services, IConfiguration configuration)
    {
        var kubernetes = configuration.GetSection(KubernetesOptions.Section).Get<KubernetesOptions>() ?? new KubernetesOptions();
        if (!kubernetes.IsConfigured)
        {
            return services;
        }

        kubernetes.Validate();
        services.AddSingleton(kubernetes);
        services.AddSingleton<ClusterApi>();
        services.AddSingleton<INamespaceDriver, KubernetesNamespaceDriver>();

        var dns = configuration.GetSection(DnsOptions.Section).Get<DnsOptions>() ?? new DnsOptions();
        if (!dns.IsConfigured)
        {
            return services;
        }

        dns.Validate();
        services.AddSingleton(dns);
        services.AddSingleton(configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions());
        services.AddSingleton<DkimRecordSource>();
        services.AddSingleton<DnsPropagationChecker>();
        services.AddSingleton<IDnsTlsDriver, KubernetesDnsTlsDriver>();
        return services;
    }
}

using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.CreateTenantIdentity;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Copilots;
using BacBos.Consumers.Activation.Drivers.GitOps;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using BacBos.Consumers.Activation.SeedData;
using BacBos.Consumers.Activation.Steps;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Consumers;

/// <summary>Composition of the step consumers and their drivers.</summary>
public static class ConsumerRegistration
{
    /// <summary>Services the activation step consumers need. Drivers not configured stay "not configured" (skipped).</summary>
    public static IServiceCollection AddActivationConsumerServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(GitOpsOptions.Section).Get<GitOpsOptions>() ?? new GitOpsOptions());
        services.AddSingleton(configuration.GetSection(PublicUrlOptions.Section).Get<PublicUrlOptions>() ?? new PublicUrlOptions());
        services.AddSingleton<GitOpsFolder>();
        services.AddSingleton<ProvisioningLog>();
        services.AddSingleton<TenantIdentityStore>();
        services.AddSingleton<TenantSeeder>();

        // Configured drivers first (each registers only when its configuration section is present; the copilot
        // configuration store needs only the platform database and is always on); the TryAdd defaults below fill
        // whatever is left.
        // [drivers: step 5 data]
        Activation.Drivers.Data.DataDriverRegistration.AddDataDrivers(services, configuration);
        // [drivers: steps 4 and 9 kubernetes]
        services.AddKubernetesDrivers(configuration);
        // [drivers: steps 6 and 10 gitops and copilots]
        services.AddGitOpsDrivers(configuration).AddCopilotDrivers(configuration);
        // [drivers: step 7 integrations]
        services.AddIntegrationsDrivers(configuration);

        services.TryAddSingleton<INamespaceDriver, GitOpsFolderNamespaceDriver>();
        services.TryAddSingleton<IServiceDeploymentDriver, GitOpsFolderServiceDeploymentDriver>();
        services.TryAddSingleton<ICacheDriver, NotConfiguredCacheDriver>();
        services.TryAddSingleton<IObjectStorageDriver, NotConfiguredObjectStorageDriver>();
        services.TryAddSingleton<IAnalyticsDriver, NotConfiguredAnalyticsDriver>();
        services.TryAddSingleton<IIntegrationsDriver, NotConfiguredIntegrationsDriver>();
        services.TryAddSingleton<IDnsTlsDriver, NotConfiguredDnsTlsDriver>();
        return services;
    }

    /// <summary>One consumer per activation step, each on its own queue (<c>bacbos-…</c>).</summary>
    public static void AddActivationConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumers(type => type.Namespace?.StartsWith("BacBos.Consumers.Activation", StringComparison.Ordinal) == true, typeof(ConsumerRegistration).Assembly);
}

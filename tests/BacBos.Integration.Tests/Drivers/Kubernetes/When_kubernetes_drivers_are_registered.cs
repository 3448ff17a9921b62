using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>The drivers replace the defaults only when configured; an incomplete configuration fails at start-up.</summary>
public sealed class When_kubernetes_drivers_are_registered
{
    private static readonly Dictionary<string, string?> Cluster = new()
    {
        ["Drivers:Kubernetes:Server"] = "http://127.0.0.1:1",
        ["Drivers:Kubernetes:Token"] = "token",
    };

    private static readonly Dictionary<string, string?> Dns = new()
    {
        ["Drivers:Dns:IngressTarget"] = "203.0.113.10",
        ["Drivers:Dns:Resolvers:0"] = "127.0.0.1:5353",
    };

    [Fact]
    public async Task Should_keep_the_gitops_folder_and_skip_dns_without_configuration()
    {
        using var services = KubernetesDriverHost.Build([]);

        Assert.IsType<GitOpsFolderNamespaceDriver>(services.GetRequiredService<INamespaceDriver>());
        var dns = services.GetRequiredService<IDnsTlsDriver>();
        Assert.IsType<NotConfiguredDnsTlsDriver>(dns);
        var outcome = await dns.ApplyAsync(TestTenants.Create(domain: "x.example"), CancellationToken.None);
        Assert.True(outcome.Skipped);
        Assert.StartsWith("dns-tls driver not configured", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_use_the_cluster_for_step_4_only_when_dns_is_not_configured()
    {
        using var services = KubernetesDriverHost.Build(Cluster);

        Assert.IsType<KubernetesNamespaceDriver>(services.GetRequiredService<INamespaceDriver>());
        Assert.IsType<NotConfiguredDnsTlsDriver>(services.GetRequiredService<IDnsTlsDriver>());
    }

    [Fact]
    public async Task Should_use_both_drivers_with_cluster_and_dns_configured()
    {
        var (server, database) = await KubernetesDriverHost.PlatformDatabaseAsync();
        await using (server)
        await using (database)
        {
            using var services = KubernetesDriverHost.Build(Cluster.Concat(Dns), database);

            Assert.IsType<KubernetesNamespaceDriver>(services.GetRequiredService<INamespaceDriver>());
            Assert.IsType<KubernetesDnsTlsDriver>(services.GetRequiredService<IDnsTlsDriver>());
        }
    }

    [Fact]
    public void Should_not_configure_dns_without_a_cluster()
    {
        using var services = KubernetesDriverHost.Build(Dns);

        Assert.IsType<GitOpsFolderNamespaceDriver>(services.GetRequiredService<INamespaceDriver>());
        Assert.IsType<NotConfiguredDnsTlsDriver>(services.GetRequiredService<IDnsTlsDriver>());
    }

    [Theory]
    [InlineData("Drivers:Kubernetes:Token", "", "Token is required")]
    [InlineData("Drivers:Kubernetes:Server", "not a url", "must be an http(s) URL")]
    [InlineData("Drivers:Dns:Resolvers:0", "resolver.example", "is not an address")]
    [InlineData("Drivers:Kubernetes:KubeconfigPath", "/nonexistent/kubeconfig", "file not found")]
    [InlineData("Drivers:Kubernetes:NamespaceDeletionTimeout", "00:00:00", "must be positive")]
    public void Should_reject_an_incomplete_configuration_at_start_up(string key, string value, string message)
    {
        var settings = Cluster.Concat(Dns).ToDictionary(kv => kv.Key, kv => kv.Value);
        settings[key] = value;

        var error = Assert.Throws<InvalidOperationException>(() => KubernetesDriverHost.Build(settings).Dispose());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}

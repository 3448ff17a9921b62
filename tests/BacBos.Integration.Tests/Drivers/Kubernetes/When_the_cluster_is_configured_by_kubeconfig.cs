using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary><c>Drivers:Kubernetes:KubeconfigPath</c> instead of server and token: the file's current context is used.</summary>
public sealed class When_the_cluster_is_configured_by_kubeconfig(KubernetesApiFixture fixture) : IClassFixture<KubernetesApiFixture>
{
    [Fact]
    public async Task Should_apply_through_the_current_context()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bacbos-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: unused
              cluster:
                server: http://127.0.0.1:9
            - name: double
              cluster:
                server: {fixture.Api.Url}
            users:
            - name: provisioner
              user:
                token: {fixture.Api.Token}
            contexts:
            - name: unused
              context: {"{"} cluster: unused, user: provisioner {"}"}
            - name: tenants
              context: {"{"} cluster: double, user: provisioner {"}"}
            current-context: tenants
            """);
        try
        {
            using var services = KubernetesDriverHost.Build([new("Drivers:Kubernetes:KubeconfigPath", path)]);
            var tenant = TestTenants.Create();

            var outcome = await services.GetRequiredService<INamespaceDriver>().ApplyAsync(tenant, CancellationToken.None);

            Assert.IsType<KubernetesNamespaceDriver>(services.GetRequiredService<INamespaceDriver>());
            Assert.Equal("8", outcome.Outputs!["changed"]);
            Assert.Equal("Active", fixture.Api.NamespacePhase(tenant.Namespace));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

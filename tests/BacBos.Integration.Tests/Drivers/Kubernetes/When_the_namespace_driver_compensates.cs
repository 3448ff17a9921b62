using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using BacBos.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>Step 4's compensation: the namespace goes, with everything in it, and the driver waits for that.</summary>
public sealed class When_the_namespace_driver_compensates : IAsyncLifetime
{
    private KubernetesApiDouble _api = null!;

    public async Task InitializeAsync() => _api = await KubernetesApiDouble.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private INamespaceDriver Driver(string deletionTimeout = "00:00:10") =>
        KubernetesDriverHost.Build(_api.Configuration().Append(new("Drivers:Kubernetes:NamespaceDeletionTimeout", deletionTimeout)))
            .GetRequiredService<INamespaceDriver>();

    [Fact]
    public async Task Should_delete_the_namespace_and_wait_until_it_is_gone()
    {
        var tenant = TestTenants.Create();
        var driver = Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        _api.NamespaceTerminationDelay = TimeSpan.FromMilliseconds(600);

        var detail = await driver.RemoveAsync(tenant, CancellationToken.None);

        Assert.Equal($"deleted namespace {tenant.Namespace} and everything in it", detail);
        Assert.Empty(_api.LeftoversFor(tenant.TenantId));
        Assert.Contains(_api.Requests, r => r.Method == "DELETE" && r.Path == $"/api/v1/namespaces/{tenant.Namespace}");

        // It waited: the namespace was seen terminating at least once before the 404.
        var reads = _api.Requests.Where(r => r.Method == "GET" && r.Path == $"/api/v1/namespaces/{tenant.Namespace}").Select(r => r.Status).ToList();
        Assert.Equal(404, reads[^1]);
        Assert.Contains(200, reads);
    }

    [Fact]
    public async Task Should_succeed_when_there_is_nothing_to_remove()
    {
        var tenant = TestTenants.Create();

        var detail = await Driver().RemoveAsync(tenant, CancellationToken.None);

        Assert.Equal($"namespace {tenant.Namespace} did not exist", detail);
        Assert.Empty(_api.LeftoversFor(tenant.TenantId));
    }

    [Fact]
    public async Task Should_fail_transiently_when_the_namespace_does_not_go_in_time_and_finish_on_the_next_attempt()
    {
        var tenant = TestTenants.Create();
        var driver = Driver(deletionTimeout: "00:00:00.500");
        await driver.ApplyAsync(tenant, CancellationToken.None);
        _api.NamespaceTerminationDelay = Timeout.InfiniteTimeSpan;

        var stuck = await Assert.ThrowsAsync<TransientKubernetesException>(() => driver.RemoveAsync(tenant, CancellationToken.None));
        Assert.Contains("still terminating", stuck.Message, StringComparison.Ordinal);
        Assert.Equal("Terminating", _api.NamespacePhase(tenant.Namespace));

        // The redelivered compensation deletes again (the API answers 409 while terminating) and keeps waiting.
        var retry = driver.RemoveAsync(tenant, CancellationToken.None);
        await Eventually.MatchAsync(
            () => Task.FromResult(_api.Requests.Count(r => r.Method == "DELETE" && r.Status == 409)),
            conflicts => conflicts == 1,
            TimeSpan.FromSeconds(10),
            "the second delete to be answered 409 (already terminating)");
        Assert.True(_api.FinishTermination(tenant.Namespace));
        Assert.Equal($"deleted namespace {tenant.Namespace} and everything in it", await retry);
        Assert.Empty(_api.LeftoversFor(tenant.TenantId));
    }

    [Fact]
    public async Task Should_not_provision_into_a_namespace_that_is_still_terminating()
    {
        var tenant = TestTenants.Create();
        var driver = Driver(deletionTimeout: "00:00:00.200");
        await driver.ApplyAsync(tenant, CancellationToken.None);
        _api.NamespaceTerminationDelay = Timeout.InfiniteTimeSpan;
        await Assert.ThrowsAsync<TransientKubernetesException>(() => driver.RemoveAsync(tenant, CancellationToken.None));

        var apply = await Assert.ThrowsAsync<TransientKubernetesException>(() => driver.ApplyAsync(tenant, CancellationToken.None));

        Assert.Contains("still being deleted", apply.Message, StringComparison.Ordinal);
        _api.FinishTermination(tenant.Namespace);
        var outcome = await driver.ApplyAsync(tenant, CancellationToken.None);
        Assert.Equal("8", outcome.Outputs!["changed"]);
    }
}

using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>API errors are sorted into permanent (compensate now) and transient (retry, then redeliver) failures.</summary>
public sealed class When_the_cluster_rejects_or_fails(KubernetesApiFixture fixture) : IClassFixture<KubernetesApiFixture>
{
    private KubernetesApiDouble Api => fixture.Api;

    [Fact]
    public async Task Should_fail_permanently_with_a_wrong_token_without_showing_it()
    {
        var settings = Api.Configuration().ToDictionary(kv => kv.Key, kv => kv.Value);
        settings["Drivers:Kubernetes:Token"] = "wrong-token-value";
        using var services = KubernetesDriverHost.Build(settings);

        var error = await Assert.ThrowsAsync<PermanentStepException>(() =>
            services.GetRequiredService<INamespaceDriver>().ApplyAsync(TestTenants.Create(), CancellationToken.None));

        Assert.Contains("401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-value", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(500, "InternalError")]
    [InlineData(429, "TooManyRequests")]
    public async Task Should_fail_transiently_when_the_api_server_is_unavailable(int code, string reason)
    {
        using var services = KubernetesDriverHost.Build(Api.Configuration());
        Api.FailNext(1, code, reason, "etcdserver: request timed out");

        var error = await Assert.ThrowsAsync<TransientKubernetesException>(() =>
            services.GetRequiredService<INamespaceDriver>().ApplyAsync(TestTenants.Create(), CancellationToken.None));

        Assert.Contains($"{code} {reason}: etcdserver: request timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_fail_permanently_when_the_api_server_rejects_the_object()
    {
        using var services = KubernetesDriverHost.Build(Api.Configuration());
        Api.FailNext(1, 422, "Invalid", "Namespace \"x\" is invalid: metadata.labels: Invalid value");

        var error = await Assert.ThrowsAsync<PermanentStepException>(() =>
            services.GetRequiredService<INamespaceDriver>().ApplyAsync(TestTenants.Create(), CancellationToken.None));

        Assert.Contains("422 Invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_fail_transiently_when_the_api_server_is_not_reachable()
    {
        var settings = Api.Configuration().ToDictionary(kv => kv.Key, kv => kv.Value);
        settings["Drivers:Kubernetes:Server"] = "http://127.0.0.1:9";
        using var services = KubernetesDriverHost.Build(settings);

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            services.GetRequiredService<INamespaceDriver>().ApplyAsync(TestTenants.Create(), CancellationToken.None));

        Assert.IsNotType<PermanentStepException>(error);
    }
}

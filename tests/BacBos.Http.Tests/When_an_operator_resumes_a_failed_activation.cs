using System.Net;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Http.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace BacBos.Http.Tests;

/// <summary>
/// Step 9's driver fails permanently until the cause is "fixed": the activation fails and compensates; after the fix
/// an operator resumes it and it completes, with every compensated step applied again exactly once.
/// </summary>
public sealed class When_an_operator_resumes_a_failed_activation : IDisposable
{
    private readonly string _dataDirectory = EmbeddedGatewayFactory.NewDataDirectory();

    [Fact]
    public async Task Should_run_the_not_completed_steps_again_and_complete()
    {
        var driver = new BrokenUntilFixedDnsTlsDriver();
        await using var factory = EmbeddedGatewayFactory.OnDirectory(
            _dataDirectory,
            new Dictionary<string, string?> { ["Gateway:ActivationWait"] = "00:00:20" },
            services => services.RemoveAll<IDnsTlsDriver>().AddSingleton<IDnsTlsDriver>(driver));
        using var client = factory.CreateOperatorClient();

        using var first = await client.SendAsync(Requests.Activate(ActivationBodies.Valid("Resumable Bakery " + Guid.NewGuid().ToString("N")[..6])));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        var failure = await Responses.JsonAsync(first);
        Assert.Equal("configure_dns_and_tls", failure.GetProperty("failed_step").GetString());
        var id = failure.GetProperty("activation_id").GetGuid();
        Assert.Equal(0, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM tenants"));

        using var tooEarly = await client.PostAsync($"{Requests.ActivationPath(Guid.NewGuid())}/resume", null);
        Assert.Equal(HttpStatusCode.NotFound, tooEarly.StatusCode);

        driver.Fixed = true;
        using var resume = await client.PostAsync($"{Requests.ActivationPath(id)}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);

        var body = await Eventually.MatchAsync(
            async () => await Responses.JsonAsync(await client.GetAsync(Requests.ActivationPath(id))),
            b => b.GetProperty("status").GetString() == "completed",
            TimeSpan.FromSeconds(30),
            "the resumed activation to complete");
        var steps = body.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("number").GetInt32());
        Assert.Equal("completed", steps[9].GetProperty("status").GetString());
        Assert.Equal(2, steps[9].GetProperty("attempts").GetInt32());
        Assert.Equal(2, steps[2].GetProperty("attempts").GetInt32());
        Assert.Equal(1, steps[1].GetProperty("attempts").GetInt32());
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM tenants WHERE status = 'active'"));
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM tenant_api_keys"));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("result").GetProperty("credentials").GetProperty("api_key").GetString()));

        using var again = await client.PostAsync($"{Requests.ActivationPath(id)}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    public void Dispose() => EmbeddedGatewayFactory.DeleteDirectory(_dataDirectory);
}

/// <summary>A DNS/TLS driver that fails permanently (a configuration error) until <see cref="Fixed"/> is set.</summary>
internal sealed class BrokenUntilFixedDnsTlsDriver : IDnsTlsDriver
{
    public volatile bool Fixed;

    public string Name => "broken-dns-tls";

    public Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken) =>
        Fixed
            ? Task.FromResult(StepOutcome.Done("records created", new Dictionary<string, string> { ["changed"] = "1" }))
            : throw new PermanentStepException("DNS provider rejected the credentials");

    public Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken) => Task.FromResult("nothing to remove");
}

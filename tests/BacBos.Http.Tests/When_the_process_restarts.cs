using System.Net;
using System.Text.Json;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Http.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Http.Tests;

/// <summary>
/// Everything the embedded default needs survives a restart in its data directory: activations, tenants, API keys,
/// and the generated data key that seals credentials not yet handed out. Each test runs two gateways one after the
/// other on one directory.
/// </summary>
public sealed class When_the_process_restarts : IDisposable
{
    private readonly string _dataDirectory = EmbeddedGatewayFactory.NewDataDirectory();

    [Fact]
    public async Task Should_still_report_the_activation_and_accept_its_api_key()
    {
        Activation activation;
        await using (var before = EmbeddedGatewayFactory.OnDirectory(_dataDirectory))
        {
            activation = await before.ActivateSampleAsync("Restart Grocers " + Guid.NewGuid().ToString("N")[..6]);
        }

        await using var after = EmbeddedGatewayFactory.OnDirectory(_dataDirectory);
        using var operatorClient = after.CreateOperatorClient();
        using var tenantClient = after.CreateClientWith(activation.ApiKey);

        using var status = await operatorClient.GetAsync(Requests.ActivationPath(activation.ActivationId));
        using var me = await tenantClient.GetAsync("/api/v1/tenants/me");

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var body = await Responses.JsonAsync(status);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(11, body.GetProperty("steps_completed").GetInt32());
        var credentials = body.GetProperty("result").GetProperty("credentials");
        Assert.Equal(JsonValueKind.Null, credentials.GetProperty("api_key").ValueKind);
        Assert.Equal(JsonValueKind.String, credentials.GetProperty("revealed_at").ValueKind);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(activation.TenantId, (await Responses.JsonAsync(me)).GetProperty("tenant_id").GetGuid());
        Assert.Equal(1, await after.PlatformScalarAsync("SELECT COUNT(*) FROM tenants"));
    }

    [Fact]
    public async Task Should_reveal_credentials_sealed_before_the_restart()
    {
        Guid activationId;
        string dataKey;
        var quick = new Dictionary<string, string?> { ["Gateway:ActivationWait"] = "00:00:00" };
        await using (var before = EmbeddedGatewayFactory.OnDirectory(_dataDirectory, quick))
        {
            using var client = before.CreateOperatorClient();
            using var response = await client.SendAsync(Requests.Activate(ActivationBodies.Valid("Sealed Grocers " + Guid.NewGuid().ToString("N")[..6])));

            // Without any wait the answer is 202 with somewhere to follow; the credentials stay sealed.
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var accepted = await Responses.JsonAsync(response);
            activationId = accepted.GetProperty("activation_id").GetGuid();
            Assert.Equal(Requests.ActivationPath(activationId), response.Headers.Location?.OriginalString);
            Assert.Equal(Requests.ActivationPath(activationId), accepted.GetProperty("status_url").GetString());

            await Eventually.MatchAsync(
                () => before.PlatformScalarAsync("SELECT COUNT(*) FROM saga_instances WHERE correlation_id = @id AND current_state = 'Completed'", ("@id", activationId.ToString("D"))),
                n => n == 1,
                TimeSpan.FromSeconds(30),
                "the activation to complete before the restart");
            Assert.Equal(1, await before.PlatformScalarAsync("SELECT COUNT(*) FROM activation_credentials WHERE activation_id = @a AND sealed IS NOT NULL", ("@a", activationId.ToString("D"))));
            dataKey = await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "keys", "data.key"));
        }

        await using var after = EmbeddedGatewayFactory.OnDirectory(_dataDirectory);
        using var operatorClient = after.CreateOperatorClient();

        using var first = await operatorClient.GetAsync(Requests.ActivationPath(activationId));
        using var second = await operatorClient.GetAsync(Requests.ActivationPath(activationId));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var revealed = (await Responses.JsonAsync(first)).GetProperty("result").GetProperty("credentials");
        var apiKey = revealed.GetProperty("api_key").GetString();
        Assert.StartsWith("bbk_", apiKey, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(revealed.GetProperty("temp_password").GetString()));
        Assert.Equal(dataKey, await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "keys", "data.key")));

        var again = (await Responses.JsonAsync(second)).GetProperty("result").GetProperty("credentials");
        Assert.Equal(JsonValueKind.Null, again.GetProperty("api_key").ValueKind);

        using var tenantClient = after.CreateClientWith(apiKey!);
        using var me = await tenantClient.GetAsync("/api/v1/tenants/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Should_finish_an_activation_interrupted_by_the_restart()
    {
        // Before: step 9's driver never answers, so the process stops with the activation in flight (its in-memory
        // messages are lost). After: the deadline watchdog finds the overdue step and the activation completes.
        var stalled = new StallingDnsTlsDriver();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:ActivationWait"] = "00:00:00",
            ["Activation:StepTimeout"] = "00:00:03",
            ["Activation:WatchdogInterval"] = "00:00:00.200",
        };
        Guid activationId;
        await using (var before = EmbeddedGatewayFactory.OnDirectory(_dataDirectory, settings, StallStep9(stalled)))
        {
            using var client = before.CreateOperatorClient();
            using var response = await client.SendAsync(Requests.Activate(ActivationBodies.Valid("Interrupted Grocers " + Guid.NewGuid().ToString("N")[..6])));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            activationId = (await Responses.JsonAsync(response)).GetProperty("activation_id").GetGuid();

            await stalled.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, await before.PlatformScalarAsync("SELECT COUNT(*) FROM saga_instances WHERE correlation_id = @id AND current_state = 'Running'", ("@id", activationId.ToString("D"))));
        }

        await using var after = EmbeddedGatewayFactory.OnDirectory(_dataDirectory, settings);
        using var operatorClient = after.CreateOperatorClient();
        await Eventually.MatchAsync(
            () => after.PlatformScalarAsync("SELECT COUNT(*) FROM saga_instances WHERE correlation_id = @id AND current_state = 'Completed'", ("@id", activationId.ToString("D"))),
            n => n == 1,
            TimeSpan.FromSeconds(30),
            "the interrupted activation to complete after the restart");

        using var status = await operatorClient.GetAsync(Requests.ActivationPath(activationId));
        var body = await Responses.JsonAsync(status);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var step9 = body.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("number").GetInt32() == 9);
        Assert.Equal("skipped", step9.GetProperty("status").GetString());
        Assert.True(step9.GetProperty("attempts").GetInt32() >= 2, $"step 9 was not retried after the restart: {step9}");
        Assert.False(string.IsNullOrEmpty(body.GetProperty("result").GetProperty("credentials").GetProperty("api_key").GetString()));
        Assert.Equal(1, await after.PlatformScalarAsync("SELECT COUNT(*) FROM tenants WHERE activation_id = @a AND status = 'active'", ("@a", activationId.ToString("D"))));
    }

    private static Action<IServiceCollection> StallStep9(StallingDnsTlsDriver stalled) => services =>
    {
        services.RemoveAll<IDnsTlsDriver>().AddSingleton<IDnsTlsDriver>(stalled);

        // Stop as a crash would: cancel the stalled consumer at once instead of waiting out the host's shutdown timeout.
        services.Configure<MassTransitHostOptions>(o => o.ConsumerStopTimeout = TimeSpan.FromMilliseconds(100));
    };

    public void Dispose() => EmbeddedGatewayFactory.DeleteDirectory(_dataDirectory);
}

/// <summary>A DNS/TLS driver that never answers until its process stops.</summary>
internal sealed class StallingDnsTlsDriver : IDnsTlsDriver
{
    private int _calls;

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => Volatile.Read(ref _calls);

    public string Name => "stalling-dns-tls";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Entered.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    public Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken) => Task.FromResult("nothing to remove");
}

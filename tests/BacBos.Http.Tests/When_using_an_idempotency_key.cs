using System.Net;
using System.Text.Json;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests;

/// <summary>
/// <c>Idempotency-Key</c> makes retries of <c>POST /api/v1/activate</c> safe: the same key with the same profile is
/// the same activation (also when the retries race), the same key with another profile is refused with 422.
/// Each test uses its own key and business name, so they share one gateway.
/// </summary>
public sealed class When_using_an_idempotency_key(EmbeddedGatewayFactory factory) : IClassFixture<EmbeddedGatewayFactory>
{
    [Fact]
    public async Task Should_return_the_same_activation_for_a_sequential_retry()
    {
        var name = UniqueName("Retry Farms");
        var key = "retry-" + Guid.NewGuid().ToString("N");
        using var client = factory.CreateOperatorClient();

        var first = await factory.ActivateSampleAsync(name, key);
        using var retry = await client.SendAsync(Requests.Activate(ActivationBodies.Valid(name), key));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var replay = await Responses.JsonAsync(retry);
        Assert.Equal(first.ActivationId, replay.GetProperty("activation_id").GetGuid());
        Assert.Equal(first.TenantId, replay.GetProperty("tenant_id").GetGuid());
        var credentials = replay.GetProperty("result").GetProperty("credentials");
        Assert.Equal(JsonValueKind.Null, credentials.GetProperty("api_key").ValueKind);
        Assert.Equal(JsonValueKind.Null, credentials.GetProperty("temp_password").ValueKind);
        Assert.Equal(JsonValueKind.String, credentials.GetProperty("revealed_at").ValueKind);

        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM tenants WHERE business_name = @n", ("@n", name)));
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM idempotency_keys WHERE key = @k", ("@k", key)));
    }

    [Fact]
    public async Task Should_treat_a_differently_formatted_but_equal_profile_as_the_same_request()
    {
        var name = UniqueName("Format Farms");
        var key = "format-" + Guid.NewGuid().ToString("N");
        using var client = factory.CreateOperatorClient();
        var first = await factory.ActivateSampleAsync(name, key);

        // Same profile after normalisation: case and surrounding spaces differ.
        var respelled = ActivationBodies.With(ActivationBodies.Valid(name), "region", " ng ");
        respelled = ActivationBodies.With(respelled, "currency", "ngn");
        respelled = ActivationBodies.With(respelled, "industry", "ECOMMERCE");
        using var retry = await client.SendAsync(Requests.Activate(respelled, key));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.ActivationId, (await Responses.JsonAsync(retry)).GetProperty("activation_id").GetGuid());
    }

    [Fact]
    public async Task Should_start_one_activation_for_concurrent_retries_with_the_same_key()
    {
        var name = UniqueName("Concurrent Farms");
        var key = "concurrent-" + Guid.NewGuid().ToString("N");
        var body = ActivationBodies.Valid(name).ToJsonString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = factory.CreateOperatorClient();
            using var response = await client.SendAsync(Requests.Activate(body, "application/json", key));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        foreach (var (status, text) in responses)
        {
            Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"expected 201 or 202, got {(int)status}: {text}");
        }

        var ids = responses.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("activation_id").GetGuid()).Distinct().ToList();
        Assert.Single(ids);

        // Exactly one caller got the secrets; the others saw them already handed out.
        var revealed = responses
            .Where(r => r.StatusCode == HttpStatusCode.Created)
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("result").GetProperty("credentials").GetProperty("api_key"))
            .Count(k => k.ValueKind == JsonValueKind.String);
        if (responses.All(r => r.StatusCode == HttpStatusCode.Created))
        {
            Assert.Equal(1, revealed);
        }
        else
        {
            Assert.True(revealed <= 1, $"the API key was revealed {revealed} times");
        }

        // Let the one activation finish, then count what it left.
        await Eventually.MatchAsync(
            () => factory.PlatformScalarAsync("SELECT COUNT(*) FROM saga_instances WHERE correlation_id = @id AND current_state = 'Completed'", ("@id", ids[0].ToString("D"))),
            n => n == 1,
            TimeSpan.FromSeconds(30),
            "the concurrent activation to complete");
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM tenants WHERE business_name = @n", ("@n", name)));
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM tenants WHERE activation_id = @a", ("@a", ids[0].ToString("D"))));
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM idempotency_keys WHERE key = @k", ("@k", key)));
    }

    [Fact]
    public async Task Should_refuse_the_same_key_with_a_different_profile_with_422()
    {
        var key = "reuse-" + Guid.NewGuid().ToString("N");
        var firstName = UniqueName("First Farms");
        var otherName = UniqueName("Other Farms");
        var first = await factory.ActivateSampleAsync(firstName, key);
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(ActivationBodies.Valid(otherName), key));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.EndsWith("/idempotency-key-reused", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.ActivationId, problem.GetProperty("activation_id").GetGuid());
        Assert.Equal(0, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM tenants WHERE business_name = @n", ("@n", otherName)));
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM idempotency_keys WHERE key = @k", ("@k", key)));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(256)]
    public async Task Should_refuse_a_key_that_is_too_long(int length)
    {
        var key = new string('k', length);
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(ActivationBodies.Valid(UniqueName("Long Key Farms")), key));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Idempotency-Key"], Responses.ErrorKeys(problem));
        Assert.Equal(0, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM idempotency_keys WHERE key = @k", ("@k", key)));
    }

    [Fact]
    public async Task Should_accept_a_key_of_the_maximum_length()
    {
        var key = new string('m', 250) + Guid.NewGuid().ToString("N")[..5];
        var first = await factory.ActivateSampleAsync(UniqueName("Max Key Farms"), key);

        Assert.Equal(255, key.Length);
        Assert.Equal(1, await factory.PlatformScalarAsync("SELECT COUNT(*) FROM idempotency_keys WHERE key = @k AND resource_id = @r", ("@k", key), ("@r", first.ActivationId.ToString("D"))));
    }

    private static string UniqueName(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";
}

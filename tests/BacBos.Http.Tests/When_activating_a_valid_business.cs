using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests;

/// <summary>
/// One activation of the documented example profile through <c>POST /api/v1/activate</c>, shared by the facts below:
/// the 201 body, the one-time credentials, the tenant's own API key, and what landed in the platform and tenant databases.
/// </summary>
public sealed class When_activating_a_valid_business(When_activating_a_valid_business.Fixture fixture)
    : IClassFixture<When_activating_a_valid_business.Fixture>
{
    private static readonly string[] StepNames =
    [
        "validate_input", "create_tenant_identity", "apply_industry_preset", "provision_infrastructure", "setup_databases",
        "deploy_services", "configure_integrations", "seed_data", "configure_dns_and_tls", "enable_copilots", "compile_result",
    ];

    // Step 10 stores copilot configurations in the platform database in every mode; only its LLM smoke call needs configuration.
    private static readonly int[] SkippedSteps = [7, 9];

    [Fact]
    public async Task Should_answer_201_with_a_completed_activation_and_a_location()
    {
        var activation = await fixture.ActivationAsync();
        var body = activation.Body;

        Assert.NotEqual(Guid.Empty, activation.ActivationId);
        Assert.NotEqual(Guid.Empty, activation.TenantId);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(11, body.GetProperty("steps_total").GetInt32());
        Assert.Equal(11, body.GetProperty("steps_completed").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("failed_step").ValueKind);
        Assert.Equal(Requests.ActivationPath(activation.ActivationId), activation.Location?.OriginalString);
    }

    [Fact]
    public async Task Should_complete_every_step_except_the_unconfigured_drivers()
    {
        var steps = (await fixture.ActivationAsync()).Body.GetProperty("steps").EnumerateArray().ToList();

        Assert.Equal(11, steps.Count);
        Assert.Equal(Enumerable.Range(1, 11), steps.Select(s => s.GetProperty("number").GetInt32()));
        Assert.Equal(StepNames, steps.Select(s => s.GetProperty("step").GetString()));
        foreach (var step in steps)
        {
            var number = step.GetProperty("number").GetInt32();
            var status = step.GetProperty("status").GetString();
            if (SkippedSteps.Contains(number))
            {
                Assert.True(status == "skipped", $"step {number} should be skipped, is {status}");
                Assert.Contains("not configured", step.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.True(status == "completed", $"step {number} should be completed, is {status}: {step}");
                Assert.Equal(JsonValueKind.Null, step.GetProperty("error").ValueKind);
            }
        }

        Assert.Contains("llm smoke call skipped: Drivers:Llm:Endpoint not configured", steps[9].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_return_endpoints_credentials_and_nine_next_steps()
    {
        var activation = await fixture.ActivationAsync();
        var result = activation.Body.GetProperty("result");

        Assert.Equal(activation.TenantId, result.GetProperty("tenant_id").GetGuid());
        Assert.Equal(fixture.BusinessName, result.GetProperty("business_name").GetString());
        var endpoints = result.GetProperty("endpoints");
        Assert.Equal("https://app.lagosfresh.example", endpoints.GetProperty("web_console").GetString());
        Assert.EndsWith("/api/v1", endpoints.GetProperty("api").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/graphql", endpoints.GetProperty("graphql").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://lagosfresh.example", endpoints.GetProperty("storefront").GetString());

        var credentials = result.GetProperty("credentials");
        Assert.False(string.IsNullOrWhiteSpace(credentials.GetProperty("admin_username").GetString()));
        Assert.True(activation.TempPassword.Length >= 12, "the temporary password is too short to be a real one");
        Assert.StartsWith("bbk_", activation.ApiKey, StringComparison.Ordinal);

        var nextSteps = result.GetProperty("next_steps").EnumerateArray().ToList();
        Assert.Equal(9, nextSteps.Count);
        Assert.Equal(Enumerable.Range(1, 9), nextSteps.Select(s => s.GetProperty("order").GetInt32()));
        Assert.All(nextSteps, s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("title").GetString())));
    }

    [Fact]
    public async Task Should_authenticate_the_tenant_with_its_new_api_key()
    {
        var activation = await fixture.ActivationAsync();
        using var client = fixture.Factory.CreateClientWith(activation.ApiKey);

        using var response = await client.GetAsync("/api/v1/tenants/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tenant = await Responses.JsonAsync(response);
        Assert.Equal(activation.TenantId, tenant.GetProperty("tenant_id").GetGuid());
        Assert.Equal(fixture.BusinessName, tenant.GetProperty("business_name").GetString());
        Assert.Equal("active", tenant.GetProperty("status").GetString());
        Assert.Equal("NG", tenant.GetProperty("region").GetString());
        Assert.Equal("NGN", tenant.GetProperty("currency").GetString());
        Assert.NotEmpty(tenant.GetProperty("modules").EnumerateArray());
    }

    [Fact]
    public async Task Should_reveal_the_credentials_only_once()
    {
        var activation = await fixture.ActivationAsync();
        using var client = fixture.Factory.CreateOperatorClient();

        using var response = await client.GetAsync(Requests.ActivationPath(activation.ActivationId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Responses.JsonAsync(response);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var credentials = body.GetProperty("result").GetProperty("credentials");
        Assert.Equal(
            activation.Body.GetProperty("result").GetProperty("credentials").GetProperty("admin_username").GetString(),
            credentials.GetProperty("admin_username").GetString());
        Assert.Equal(JsonValueKind.Null, credentials.GetProperty("temp_password").ValueKind);
        Assert.Equal(JsonValueKind.Null, credentials.GetProperty("api_key").ValueKind);
        Assert.Equal(JsonValueKind.String, credentials.GetProperty("revealed_at").ValueKind);
        Assert.DoesNotContain(activation.ApiKey, body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(activation.TempPassword, body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_store_one_tenant_and_only_the_hash_of_its_api_key()
    {
        var activation = await fixture.ActivationAsync();
        await using var db = await fixture.Factory.OpenPlatformDatabaseAsync();

        Assert.Equal(1, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM tenants"));
        Assert.Equal(1, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM tenants WHERE id = @id AND activation_id = @a AND status = 'active'", ("@id", activation.TenantId.ToString("D")), ("@a", activation.ActivationId.ToString("D"))));

        await using var command = db.CreateCommand();
        command.CommandText = "SELECT key_id, key_hash FROM tenant_api_keys WHERE tenant_id = @t";
        command.Parameters.AddWithValue("@t", activation.TenantId.ToString("D"));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no API key row for the tenant");
        var keyId = reader.GetString(0);
        var stored = (byte[])reader.GetValue(1);
        Assert.False(await reader.ReadAsync(), "more than one API key row for the tenant");

        Assert.Contains(keyId, activation.ApiKey, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(activation.ApiKey)), stored);
        Assert.DoesNotContain(activation.ApiKey, Encoding.UTF8.GetString(stored), StringComparison.Ordinal);

        // The sealed credentials were erased by the reveal in the 201.
        Assert.Equal(1, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM activation_credentials WHERE activation_id = @a AND sealed IS NULL AND revealed_at IS NOT NULL", ("@a", activation.ActivationId.ToString("D"))));
    }

    [Fact]
    public async Task Should_seed_the_tenant_database_with_pipeline_stages_and_nigerian_tax_rates()
    {
        var activation = await fixture.ActivationAsync();
        Assert.True(File.Exists(fixture.Factory.TenantDatabaseFile(activation.TenantId)), "per-tenant SQLite file is missing");

        await using var db = await fixture.Factory.OpenTenantDatabaseAsync(activation.TenantId);

        Assert.Equal(6, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM pipeline_stages"));
        Assert.True(await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM tax_rates WHERE country = 'NG'") > 0, "no tax rates for NG");
        Assert.Equal(0, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM tax_rates WHERE country <> 'NG'"));
        Assert.Equal(1, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM tax_rates WHERE country = 'NG' AND valid_to IS NULL AND CAST(rate_percent AS REAL) = 7.5"));
        Assert.Equal(1, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM products WHERE sku = 'VEG-BOX' AND currency = 'NGN'"));
    }

    /// <summary>The factory and its one activation, made once for the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private Activation? _activation;

        public EmbeddedGatewayFactory Factory { get; } = new();

        public string BusinessName { get; } = "Lagos Fresh Foods " + Guid.NewGuid().ToString("N")[..6];

        public Task<Activation> ActivationAsync() => Task.FromResult(_activation ?? throw new InvalidOperationException("not initialised"));

        public async Task InitializeAsync() => _activation = await Factory.ActivateSampleAsync(BusinessName);

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

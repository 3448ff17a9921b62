using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers.Copilots;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Drivers.GitOps;

namespace BacBos.Integration.Tests.Drivers.Copilots;

/// <summary>The migrated PostgreSQL platform database and the LLM double, shared by the tests of one class.</summary>
public sealed class CopilotFixture : IAsyncLifetime
{
    public CopilotTestBed Bed { get; private set; } = null!;

    public async Task InitializeAsync() => Bed = await CopilotTestBed.StartAsync(postgres: true, llm: true);

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}

/// <summary>
/// Step 10 on PostgreSQL: one <c>copilot_configs</c> row per enabled module, idempotent upserts, the LLM smoke call per
/// module when configured (401/404 permanent, 429/5xx transient), and compensation deleting the rows.
/// </summary>
public sealed class When_copilots_are_configured(CopilotFixture fixture) : IClassFixture<CopilotFixture>
{
    private CopilotTestBed Bed => fixture.Bed;

    [Fact]
    public async Task Should_store_one_configuration_per_enabled_module()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("Lagos Fresh Foods", ["ai_copilot", "crm", "payments"], modelProvider: "anthropic"));
        var requestsBefore = Bed.Llm!.Requests.Count;

        var outcome = await Bed.Driver(new Dictionary<string, string?>()).ApplyAsync(tenant, CancellationToken.None);

        var rows = await Bed.RowsAsync(tenant.TenantId);
        Assert.Equal(["ai_copilot", "crm", "payments"], rows.Select(r => r.Module));
        var crm = rows.Single(r => r.Module == "crm").Config;
        Assert.Equal("anthropic", crm["routing"]!["preferred_provider"]!.GetValue<string>());
        Assert.Equal(["anthropic", "ollama"], crm["routing"]!["providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.True(crm["routing"]!["external_calls"]!.GetValue<bool>());
        Assert.Equal($"tenant-{tenant.TenantId:N}-crm", crm["rag"]!["index"]!.GetValue<string>());
        Assert.Equal($"tenant_{tenant.TenantId:N}", crm["rag"]!["tenant_schema"]!.GetValue<string>());
        Assert.Equal("require_approval", crm["guardrails"]!["write_actions"]!.GetValue<string>());
        Assert.Equal(1024, crm["guardrails"]!["max_output_tokens"]!.GetValue<int>()); // growth plan
        Assert.True(crm["pii"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("email", crm["pii"]!["entities"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("Lagos Fresh Foods", crm["agent"]!["system_prompt"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("disabled", rows.Single(r => r.Module == "payments").Config["guardrails"]!["write_actions"]!.GetValue<string>());
        Assert.Equal(
            [$"index:tenant-{tenant.TenantId:N}-crm", $"index:tenant-{tenant.TenantId:N}-payments"],
            rows.Single(r => r.Module == "ai_copilot").Config["rag"]!["sources"]!.AsArray().Select(s => s!.GetValue<string>()));

        Assert.Equal("3", outcome.Outputs!["changed"]);
        Assert.Equal(CopilotConfigDriver.SmokeSkipped, outcome.Outputs["llm"]);
        Assert.Equal($"index tenant-{tenant.TenantId:N}-crm; smoke: skipped", outcome.Outputs["module.crm"]);
        Assert.Contains("llm smoke call skipped: Drivers:Llm:Endpoint not configured", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, Bed.Llm.Requests.Count);
    }

    [Fact]
    public async Task Should_change_nothing_when_repeated()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("ai_copilot", "crm"));
        var driver = Bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        var before = await Bed.RowsAsync(tenant.TenantId);

        var again = await driver.ApplyAsync(tenant, CancellationToken.None);

        Assert.Equal("0", again.Outputs!["changed"]);
        Assert.Equal(before.Select(r => (r.Module, r.UpdatedAt)), (await Bed.RowsAsync(tenant.TenantId)).Select(r => (r.Module, r.UpdatedAt)));
    }

    [Fact]
    public async Task Should_count_only_real_changes()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("ai_copilot", "crm", "payments"));
        var driver = Bed.Driver(new Dictionary<string, string?>());
        await driver.ApplyAsync(tenant, CancellationToken.None);

        var modulesChanged = await driver.ApplyAsync(tenant.WithModules("ai_copilot", "crm", "hr"), CancellationToken.None);
        var providerChanged = await driver.ApplyAsync(tenant.WithModules("ai_copilot", "crm", "hr") with { Input = tenant.Input with { ModelProvider = "none" } }, CancellationToken.None);

        Assert.Equal("3", modulesChanged.Outputs!["changed"]); // payments deleted, hr inserted, ai_copilot's sources updated
        Assert.Equal("3", providerChanged.Outputs!["changed"]); // every row's routing
        var crm = (await Bed.RowsAsync(tenant.TenantId)).Single(r => r.Module == "crm").Config;
        Assert.Equal(["ollama"], crm["routing"]!["providers"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.False(crm["routing"]!["external_calls"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Should_smoke_test_each_module_without_showing_the_key_or_sending_tenant_data()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("Lagos Fresh Foods", ["ai_copilot", "crm"]));
        var before = Bed.Llm!.Requests.Count;

        var outcome = await Bed.Driver().ApplyAsync(tenant, CancellationToken.None);

        var requests = Bed.Llm.Requests.Skip(before).ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.True(r.HadAuthorization);
            Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal);
            Assert.Equal("gpt-4o-mini", r.Json["model"]!.GetValue<string>());
            Assert.NotEmpty(r.Json["messages"]!.AsArray());
            Assert.DoesNotContain("Lagos", r.Body, StringComparison.Ordinal);
        });
        Assert.StartsWith("index tenant-", outcome.Outputs!["module.crm"], StringComparison.Ordinal);
        Assert.Contains("; smoke: ok (model gpt-4o-mini, ", outcome.Outputs["module.crm"], StringComparison.Ordinal);
        Assert.Contains("smoke: ok (model gpt-4o-mini, ", outcome.Outputs["module.ai_copilot"], StringComparison.Ordinal);
        Assert.Equal("model gpt-4o-mini", outcome.Outputs["llm"]);
        Assert.Equal(2, (await Bed.RowsAsync(tenant.TenantId)).Count);
        AssertNoKey(Bed.Llm.ApiKey, outcome.Detail, string.Join("\n", outcome.Outputs.Select(o => $"{o.Key}={o.Value}")));
    }

    [Fact]
    public async Task Should_fail_permanently_when_the_key_is_rejected_and_store_nothing()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("ai_copilot", "crm"));
        const string wrongKey = "sk-wrong-0123456789abcdef";

        var error = await Assert.ThrowsAsync<PermanentStepException>(
            () => Bed.Driver(Bed.Llm!.Configuration(apiKey: wrongKey)).ApplyAsync(tenant, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("Drivers:Llm:ApiKey", error.Message, StringComparison.Ordinal);
        AssertNoKey(wrongKey, error.Message);
        Assert.DoesNotContain("***", error.Message, StringComparison.Ordinal); // not even the provider's masked echo
        await Bed.AssertNothingLeftForAsync(tenant.TenantId);
    }

    [Fact]
    public async Task Should_fail_permanently_for_an_unknown_model()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("ai_copilot"));

        var error = await Assert.ThrowsAsync<PermanentStepException>(
            () => Bed.Driver(Bed.Llm!.Configuration(model: "gpt-nope")).ApplyAsync(tenant, CancellationToken.None));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Contains("The model `gpt-nope` does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Should_fail_transiently_when_the_endpoint_is_busy(int status)
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("ai_copilot", "crm"));
        Bed.Llm!.ForcedStatus = status;
        try
        {
            var error = await Assert.ThrowsAsync<LlmUnavailableException>(() => Bed.Driver().ApplyAsync(tenant, CancellationToken.None));

            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
            AssertNoKey(Bed.Llm.ApiKey, error.Message);
            await Bed.AssertNothingLeftForAsync(tenant.TenantId);
        }
        finally
        {
            Bed.Llm.ForcedStatus = null;
        }

        var retried = await Bed.Driver().ApplyAsync(tenant, CancellationToken.None);
        Assert.Equal("2", retried.Outputs!["changed"]);
    }

    [Fact]
    public async Task Should_remove_every_row_of_the_tenant_only()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("ai_copilot", "crm"));
        var neighbour = await Bed.TenantAsync(TestTenants.New("Ikeja Motors", ["ai_copilot"]));
        var driver = Bed.Driver(new Dictionary<string, string?>());
        await driver.ApplyAsync(tenant, CancellationToken.None);
        await driver.ApplyAsync(neighbour, CancellationToken.None);

        var removed = await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None);

        Assert.Equal("removed 2 copilot configuration(s)", removed);
        await Bed.AssertNothingLeftForAsync(tenant.TenantId);
        Assert.Single(await Bed.RowsAsync(neighbour.TenantId));
        Assert.Equal("no copilot configuration to remove", await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None));
    }

    [Fact]
    public async Task Should_configure_no_copilot_when_the_ai_copilot_module_is_off()
    {
        var tenant = await Bed.TenantAsync(TestTenants.New("ai_copilot", "crm"));
        var driver = Bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        var before = Bed.Llm!.Requests.Count;

        var outcome = await driver.ApplyAsync(tenant.WithModules("crm"), CancellationToken.None);

        await Bed.AssertNothingLeftForAsync(tenant.TenantId);
        Assert.Equal("2", outcome.Outputs!["changed"]);
        Assert.Equal("0", outcome.Outputs["copilots"]);
        Assert.StartsWith("ai_copilot module not enabled", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(before, Bed.Llm.Requests.Count);
    }

    [Fact]
    public async Task Should_fail_permanently_for_a_tenant_that_does_not_exist()
    {
        var error = await Assert.ThrowsAsync<PermanentStepException>(
            () => Bed.Driver(new Dictionary<string, string?>()).ApplyAsync(TestTenants.New("ai_copilot"), CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_register_the_store_always_and_the_smoke_call_only_when_configured()
    {
        Assert.IsType<CopilotConfigDriver>(Bed.Driver(new Dictionary<string, string?>()));
        Assert.IsType<CopilotConfigDriver>(Bed.Driver());
        Assert.Equal("copilot", Bed.Driver().Name);
    }

    private static void AssertNoKey(string key, params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(key[^4..], text, StringComparison.Ordinal);
        }
    }
}

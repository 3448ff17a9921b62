using BacBos.Integration.Tests.Drivers.GitOps;

namespace BacBos.Integration.Tests.Drivers.Copilots;

/// <summary>The embedded default: the same driver on the SQLite platform database (migration 0006's SQLite twin).</summary>
public sealed class When_copilots_are_configured_on_sqlite : IAsyncLifetime
{
    private CopilotTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await CopilotTestBed.StartAsync(postgres: false);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Should_store_repeat_without_changes_and_remove()
    {
        var tenant = await _bed.TenantAsync(TestTenants.New("Lagos Fresh Foods", ["ai_copilot", "crm", "orders"], modelProvider: "mistral"));
        var driver = _bed.Driver();

        var first = await driver.ApplyAsync(tenant, CancellationToken.None);
        var stored = await _bed.RowsAsync(tenant.TenantId);
        var again = await driver.ApplyAsync(tenant, CancellationToken.None);
        var changed = await driver.ApplyAsync(tenant.WithModules("ai_copilot", "crm"), CancellationToken.None);

        Assert.Equal("3", first.Outputs!["changed"]);
        Assert.Equal(["ai_copilot", "crm", "orders"], stored.Select(r => r.Module));
        Assert.Equal("mistral", stored[1].Config["routing"]!["preferred_provider"]!.GetValue<string>());
        Assert.Equal("0", again.Outputs!["changed"]);
        Assert.Equal("2", changed.Outputs!["changed"]); // orders deleted, ai_copilot's sources updated
        Assert.Equal("removed 2 copilot configuration(s)", await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None));
        await _bed.AssertNothingLeftForAsync(tenant.TenantId);
    }
}

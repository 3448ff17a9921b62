using BacBos.Consumers.Activation.Drivers.Data.ClickHouse;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>The ClickHouse analytics driver against the real ClickHouse 18.16 over its HTTP interface.</summary>
public sealed class When_provisioning_tenant_analytics_on_clickhouse : IDisposable
{
    private readonly ClickHouseAnalyticsDriver _driver = new(DataServers.ClickHouseOptions);

    [Fact]
    public async Task Should_create_the_database_and_usable_tables()
    {
        var tenant = DataServers.NewTenant();
        var database = TenantAnalyticsSchema.Database(tenant.TenantId);
        try
        {
            var outcome = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.False(outcome.Skipped);
            Assert.Equal("4", outcome.Outputs!["changed"]); // the database and three tables
            Assert.Equal(database, outcome.Outputs["database"]);
            var tables = await DataServers.ClickHouseColumnAsync(
                $"SELECT concat(name, ':', engine) FROM system.tables WHERE database = '{database}' ORDER BY name");
            Assert.Equal(["events:MergeTree", "page_views:MergeTree", "revenue_daily:SummingMergeTree"], tables);

            // The tables take rows the way the platform will write them (JSONEachRow) and sum revenue on merge.
            await DataServers.ClickHouseAsync(
                $"INSERT INTO {database}.revenue_daily FORMAT JSONEachRow " +
                "{\"day\":\"2026-11-25\",\"currency\":\"GBP\",\"module\":\"crm\",\"amount_minor\":1250,\"transactions\":1}\n" +
                "{\"day\":\"2026-11-25\",\"currency\":\"GBP\",\"module\":\"crm\",\"amount_minor\":750,\"transactions\":2}");
            await DataServers.ClickHouseAsync(
                $"INSERT INTO {database}.events (occurred_at, event_type, actor_id, entity_type, entity_id, properties) FORMAT JSONEachRow " +
                "{\"occurred_at\":\"2026-11-25 10:00:00\",\"event_type\":\"lead.created\",\"actor_id\":\"u1\",\"entity_type\":\"lead\",\"entity_id\":\"l1\",\"properties\":\"{}\"}");
            Assert.Equal(["2000"], await DataServers.ClickHouseColumnAsync($"SELECT sum(amount_minor) FROM {database}.revenue_daily"));
            Assert.Equal(["2026-11-25"], await DataServers.ClickHouseColumnAsync($"SELECT toString(event_date) FROM {database}.events"));
        }
        finally
        {
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_change_nothing_when_applied_again()
    {
        var tenant = DataServers.NewTenant();
        var database = TenantAnalyticsSchema.Database(tenant.TenantId);
        try
        {
            await _driver.ApplyAsync(tenant, CancellationToken.None);
            await DataServers.ClickHouseAsync($"INSERT INTO {database}.page_views (viewed_at, session_id, user_id, path, referrer, duration_ms) VALUES ('2026-11-25 10:00:00', 's', 'u', '/', '', 5)");
            var before = await TableMetadataAsync(database);

            var repeat = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.Equal("0", repeat.Outputs!["changed"]);
            Assert.Contains("already provisioned", repeat.Detail, StringComparison.Ordinal);
            Assert.Equal(before, await TableMetadataAsync(database));
            Assert.Equal(["1"], await DataServers.ClickHouseColumnAsync($"SELECT count() FROM {database}.page_views"));
        }
        finally
        {
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_create_only_what_is_missing()
    {
        var tenant = DataServers.NewTenant();
        var database = TenantAnalyticsSchema.Database(tenant.TenantId);
        try
        {
            await _driver.ApplyAsync(tenant, CancellationToken.None);
            await DataServers.ClickHouseAsync($"DROP TABLE {database}.page_views");

            var outcome = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.Equal("1", outcome.Outputs!["changed"]);
            Assert.Equal($"created {database}.page_views", outcome.Detail);
        }
        finally
        {
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_drop_the_database_and_succeed_when_it_is_gone()
    {
        var tenant = DataServers.NewTenant();
        await _driver.ApplyAsync(tenant, CancellationToken.None);
        Assert.True(await DataServers.ClickHouseDatabaseExistsAsync(tenant.TenantId));

        var removed = await _driver.RemoveAsync(tenant, CancellationToken.None);
        var again = await _driver.RemoveAsync(tenant, CancellationToken.None);

        Assert.Equal($"clickhouse: dropped database {TenantAnalyticsSchema.Database(tenant.TenantId)}", removed);
        Assert.Equal($"clickhouse: no database {TenantAnalyticsSchema.Database(tenant.TenantId)}", again);
        Assert.False(await DataServers.ClickHouseDatabaseExistsAsync(tenant.TenantId));
        Assert.Empty(await DataServers.ClickHouseColumnAsync($"SELECT name FROM system.tables WHERE database = '{TenantAnalyticsSchema.Database(tenant.TenantId)}'"));
    }

    [Fact]
    public async Task Should_fail_permanently_with_a_wrong_password()
    {
        var options = DataServers.ClickHouseOptions;
        options.Password = "wrong";
        using var driver = new ClickHouseAnalyticsDriver(options);

        var ex = await Assert.ThrowsAsync<PermanentStepException>(() => driver.ApplyAsync(DataServers.NewTenant(), CancellationToken.None));

        Assert.Contains("HTTP 401", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", ex.Message.Replace("Wrong password", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static Task<IReadOnlyList<string>> TableMetadataAsync(string database) =>
        DataServers.ClickHouseColumnAsync($"SELECT concat(name, ':', metadata_path, ':', toString(metadata_modification_time)) FROM system.tables WHERE database = '{database}' ORDER BY name");

    public void Dispose() => _driver.Dispose();
}

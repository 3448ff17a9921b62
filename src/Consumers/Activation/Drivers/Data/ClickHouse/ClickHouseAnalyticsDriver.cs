using System.Globalization;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Data.ClickHouse;

/// <summary>
/// Step 5 on ClickHouse: the tenant's analytics database and tables (<see cref="TenantAnalyticsSchema"/>), created with
/// <c>IF NOT EXISTS</c> after reading <c>system.databases</c>/<c>system.tables</c>, so <c>changed</c> counts what this
/// call created. Existing tables are left as they are (a column change would need a migration). Compensation drops
/// the database.
/// </summary>
public sealed class ClickHouseAnalyticsDriver : IAnalyticsDriver, IDisposable
{
    private readonly HttpClient _httpClient;
    private readonly ClickHouseHttp _clickHouse;

    public ClickHouseAnalyticsDriver(ClickHouseOptions options)
    {
        _httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        _clickHouse = new ClickHouseHttp(_httpClient, options);
    }

    public string Name => "clickhouse";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var database = TenantAnalyticsSchema.Database(tenant.TenantId);
        var created = new List<string>();
        if (!await DatabaseExistsAsync(database, cancellationToken))
        {
            await _clickHouse.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{database}`", cancellationToken);
            created.Add(database);
        }

        var existing = await _clickHouse.ColumnAsync(
            $"SELECT name FROM system.tables WHERE database = {ClickHouseHttp.Literal(database)}", cancellationToken);
        foreach (var (table, definition) in TenantAnalyticsSchema.Tables)
        {
            if (!existing.Contains(table))
            {
                await _clickHouse.ExecuteAsync($"CREATE TABLE IF NOT EXISTS `{database}`.`{table}` {definition}", cancellationToken);
                created.Add($"{database}.{table}");
            }
        }

        return StepOutcome.Done(
            created.Count == 0 ? $"clickhouse database {database} already provisioned" : "created " + string.Join(", ", created),
            new Dictionary<string, string>
            {
                ["database"] = database,
                ["tables"] = string.Join(",", TenantAnalyticsSchema.Tables.Keys),
                ["changed"] = created.Count.ToString(CultureInfo.InvariantCulture),
            });
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var database = TenantAnalyticsSchema.Database(tenant.TenantId);
        if (!await DatabaseExistsAsync(database, cancellationToken))
        {
            return $"clickhouse: no database {database}";
        }

        await _clickHouse.ExecuteAsync($"DROP DATABASE IF EXISTS `{database}`", cancellationToken);
        return $"clickhouse: dropped database {database}";
    }

    private async Task<bool> DatabaseExistsAsync(string database, CancellationToken cancellationToken) =>
        (await _clickHouse.ColumnAsync($"SELECT name FROM system.databases WHERE name = {ClickHouseHttp.Literal(database)}", cancellationToken)).Count > 0;

    public void Dispose() => _httpClient.Dispose();
}

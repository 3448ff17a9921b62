using System.Text.Json;
using BacBos.Consumers.Activation.Steps;
using BacBos.Platform.Data;

namespace BacBos.Consumers.Activation.Drivers.Copilots;

/// <summary>
/// The <c>copilot_configs</c> table: one JSON document per (tenant, module) for the agent service. Writes join the
/// ambient transaction of the step (inbox/outbox), so the rows and the step's ledger entry commit together. An upsert
/// whose document is unchanged touches nothing, so the returned counts are real changes only.
/// </summary>
public sealed class CopilotConfigStore(Database database, TimeProvider time)
{
    /// <summary>snake_case, compact, declaration order: the same configuration always serialises to the same text.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Makes the tenant's rows exactly <paramref name="configurations"/>: inserts new modules, updates changed documents,
    /// deletes modules no longer enabled. Returns the number of rows inserted, updated or deleted.
    /// </summary>
    public async Task<int> ReplaceAsync(Guid tenantId, IReadOnlyList<CopilotConfiguration> configurations, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var tenant = await session.ScalarAsync("SELECT 1 FROM tenants WHERE id = @t", cancellationToken, ("t", database.Id(tenantId)));
        if (tenant is null)
        {
            throw new PermanentStepException($"tenant {tenantId} does not exist: no copilot configuration can be stored");
        }

        var changed = 0;
        var wanted = configurations.Select(c => c.Module).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in (await ModulesAsync(session, tenantId, cancellationToken)).Where(m => !wanted.Contains(m)))
        {
            changed += await session.ExecuteAsync(
                "DELETE FROM copilot_configs WHERE tenant_id = @t AND module = @m",
                cancellationToken,
                ("t", database.Id(tenantId)),
                ("m", stale));
        }

        var config = database.IsPostgres ? "CAST(@c AS jsonb)" : "@c";
        foreach (var configuration in configurations)
        {
            changed += await session.ExecuteAsync(
                $"INSERT INTO copilot_configs (tenant_id, module, config, updated_at) VALUES (@t, @m, {config}, @now) " +
                "ON CONFLICT (tenant_id, module) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at " +
                "WHERE copilot_configs.config <> excluded.config",
                cancellationToken,
                ("t", database.Id(tenantId)),
                ("m", configuration.Module),
                ("c", JsonSerializer.Serialize(configuration, Json)),
                ("now", database.Time(time.GetUtcNow())));
        }

        await session.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>Deletes every row of the tenant; returns how many there were.</summary>
    public async Task<int> DeleteAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var removed = await session.ExecuteAsync("DELETE FROM copilot_configs WHERE tenant_id = @t", cancellationToken, ("t", database.Id(tenantId)));
        await session.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>The stored documents of a tenant by module (what the agent service reads).</summary>
    public async Task<IReadOnlyDictionary<string, CopilotConfiguration>> ReadAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.Command(
            "SELECT module, config FROM copilot_configs WHERE tenant_id = @t ORDER BY module",
            ("t", database.Id(tenantId)));
        var rows = new SortedDictionary<string, CopilotConfiguration>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetString(0)] = JsonSerializer.Deserialize<CopilotConfiguration>(reader.GetString(1), Json)!;
            }
        }

        await session.CommitAsync(cancellationToken);
        return rows;
    }

    private async Task<List<string>> ModulesAsync(DbSession session, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT module FROM copilot_configs WHERE tenant_id = @t", ("t", database.Id(tenantId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var modules = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            modules.Add(reader.GetString(0));
        }

        return modules;
    }
}

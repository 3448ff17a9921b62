using BacBos.Integration.Tests.Infrastructure;

namespace BacBos.Integration.Tests.Processes;

/// <summary>Queries over the platform tables that the process tests assert on.</summary>
public static class Ledger
{
    public static Task<long> TenantRowsAsync(PostgresDatabase db) => db.CountAsync("SELECT COUNT(*) FROM tenants");

    public static Task<long> TenantSchemasAsync(PostgresDatabase db) => db.CountAsync(@"SELECT COUNT(*) FROM pg_namespace WHERE nspname LIKE 'tenant\_%'");

    public static Task<long> ActivationSagasAsync(PostgresDatabase db) => db.CountAsync("SELECT COUNT(*) FROM saga_instances WHERE saga_type = 'ActivationState'");

    /// <summary>Activation saga instances per state.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> SagaStatesAsync(PostgresDatabase db) =>
        (await db.QueryAsync(
            "SELECT current_state, COUNT(*) FROM saga_instances WHERE saga_type = 'ActivationState' GROUP BY current_state",
            r => (State: r.GetString(0), Count: r.GetInt64(1))))
        .ToDictionary(x => x.State, x => x.Count);

    /// <summary>Tenant rows per activation.</summary>
    public static async Task<IReadOnlyDictionary<Guid, long>> TenantsPerActivationAsync(PostgresDatabase db) =>
        (await db.QueryAsync("SELECT activation_id, COUNT(*) FROM tenants GROUP BY activation_id", r => (Id: r.GetGuid(0), Count: r.GetInt64(1))))
        .ToDictionary(x => x.Id, x => x.Count);

    /// <summary>(activation, step, action) combinations recorded more than once in <c>provisioning_log</c>.</summary>
    public static Task<List<string>> DuplicateLedgerEntriesAsync(PostgresDatabase db) =>
        db.QueryAsync(
            "SELECT activation_id, step, action, COUNT(*) FROM provisioning_log GROUP BY activation_id, step, action HAVING COUNT(*) > 1 ORDER BY 1, 2, 3",
            r => $"{r.GetGuid(0)} {r.GetString(1)} {r.GetString(2)} x{r.GetInt64(3)}");

    /// <summary>
    /// (step, action) entries that some activations have in <c>provisioning_log</c> and others lack: a side effect that
    /// happened (every activation completed) but was not recorded.
    /// </summary>
    public static async Task<List<string>> MissingLedgerEntriesAsync(PostgresDatabase db)
    {
        var rows = await db.QueryAsync(
            "SELECT t.activation_id, l.step, l.action FROM tenants t LEFT JOIN provisioning_log l ON l.activation_id = t.activation_id",
            r => (Activation: r.GetGuid(0), Entry: r.IsDBNull(1) ? null : $"{r.GetString(1)}/{r.GetString(2)}"));
        var expected = rows.Where(r => r.Entry is not null).Select(r => r.Entry!).ToHashSet();
        return rows.GroupBy(r => r.Activation)
            .SelectMany(g => expected.Except(g.Select(r => r.Entry).OfType<string>()).Select(missing => $"{g.Key} {missing}"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static Task<long> LedgerRowsAsync(PostgresDatabase db) => db.CountAsync("SELECT COUNT(*) FROM provisioning_log");

    /// <summary>Per activation: its tenant's API keys and owner users.</summary>
    public static async Task<IReadOnlyDictionary<Guid, (long ApiKeys, long Owners, long Users)>> IdentityPerActivationAsync(PostgresDatabase db) =>
        (await db.QueryAsync(
            "SELECT t.activation_id, " +
            "(SELECT COUNT(*) FROM tenant_api_keys k WHERE k.tenant_id = t.id), " +
            "(SELECT COUNT(*) FROM tenant_users u WHERE u.tenant_id = t.id AND u.role = 'owner'), " +
            "(SELECT COUNT(*) FROM tenant_users u WHERE u.tenant_id = t.id) " +
            "FROM tenants t",
            r => (Id: r.GetGuid(0), Keys: r.GetInt64(1), Owners: r.GetInt64(2), Users: r.GetInt64(3))))
        .ToDictionary(x => x.Id, x => (x.Keys, x.Owners, x.Users));

    /// <summary>Messages dead-lettered to any <c>*_error</c> queue of the vhost.</summary>
    public static async Task<string> ErrorQueueSummaryAsync(RabbitVhost vhost)
    {
        var all = await vhost.QueueNamesAsync();
        var queues = await vhost.ErrorQueuesAsync();
        return $"{queues.Count} of {all.Count} queues in vhost {vhost.Name}" + (queues.Count == 0 ? string.Empty : ": " + string.Join(", ", queues.Select(q => $"{q.Key}={q.Value}")));
    }

    public static async Task<long> ErrorMessagesAsync(RabbitVhost vhost) => (await vhost.ErrorQueuesAsync()).Values.Sum(v => (long)v);
}

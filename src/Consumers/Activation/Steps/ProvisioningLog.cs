using BacBos.Contracts.Activation;
using BacBos.Platform.Data;

namespace BacBos.Consumers.Activation.Steps;

/// <summary>
/// The audit ledger of provisioning side effects: one row each time a step actually changed something. A repeated
/// message that finds its work done writes nothing, which makes "applied exactly once" checkable.
/// </summary>
public sealed class ProvisioningLog(Database database)
{
    public Task RecordAsync(DbSession session, TenantContext tenant, ActivationStep step, string action, string? detail, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "INSERT INTO provisioning_log (activation_id, tenant_id, step, action, detail, at) VALUES (@a, @t, @s, @x, @d, @at)",
            cancellationToken,
            ("a", database.Id(tenant.ActivationId)),
            ("t", database.Id(tenant.TenantId)),
            ("s", step.ToString()),
            ("x", action),
            ("d", detail),
            ("at", database.Time(DateTimeOffset.UtcNow)));

    /// <summary>
    /// Records a change made in tenant storage: inside that storage's transaction when it shares the platform database
    /// (PostgreSQL), so the change and its ledger row commit together. Otherwise (per-tenant SQLite files) the caller
    /// records after its commit with <see cref="RecordAsync(TenantContext, ActivationStep, string, string?, CancellationToken)"/>.
    /// </summary>
    public Func<DbSession, Task>? InTenantTransaction(TenantContext tenant, ActivationStep step, string action, Func<string?> detail, CancellationToken cancellationToken) =>
        database.IsPostgres ? session => RecordAsync(session, tenant, step, action, detail(), cancellationToken) : null;

    /// <summary>Records outside any business transaction (for drivers whose effect is not in the database).</summary>
    public async Task RecordAsync(TenantContext tenant, ActivationStep step, string action, string? detail, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await RecordAsync(session, tenant, step, action, detail, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }
}

using BacBos.Platform.Data;

namespace BacBos.Platform.Security;

/// <summary>
/// A tenant's named secrets (generated passwords, provider signing secrets, DKIM private keys), sealed with
/// <see cref="SecretProtector"/> in <c>tenant_secrets</c>. The purpose bound to each ciphertext is
/// <c>tenant-secret:{tenant}:{name}</c>, so a value copied to another tenant or name does not open.
/// Joins the ambient transaction when there is one (a consumer's inbox/outbox transaction).
/// </summary>
public sealed class TenantSecrets(Database database, SecretProtector protector, TimeProvider time)
{
    public static string Purpose(Guid tenantId, string name) => $"tenant-secret:{tenantId:D}:{name}";

    /// <summary>Stores (or replaces) the secret.</summary>
    public async Task PutAsync(Guid tenantId, string name, string value, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await session.ExecuteAsync(
            "INSERT INTO tenant_secrets (tenant_id, name, ciphertext, created_at) VALUES (@t, @n, @c, @now) " +
            "ON CONFLICT (tenant_id, name) DO UPDATE SET ciphertext = excluded.ciphertext",
            cancellationToken,
            ("t", database.Id(tenantId)),
            ("n", name),
            ("c", protector.Protect(value, Purpose(tenantId, name))),
            ("now", database.Time(time.GetUtcNow())));
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>The secret, or null when the tenant has none by that name.</summary>
    public async Task<string?> GetAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var sealedValue = await session.ScalarAsync(
            "SELECT ciphertext FROM tenant_secrets WHERE tenant_id = @t AND name = @n",
            cancellationToken,
            ("t", database.Id(tenantId)),
            ("n", name)) as string;
        await session.CommitAsync(cancellationToken);
        return sealedValue is null ? null : protector.Unprotect(sealedValue, Purpose(tenantId, name));
    }

    /// <summary>Removes the secret; true when there was one.</summary>
    public async Task<bool> DeleteAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var removed = await session.ExecuteAsync(
            "DELETE FROM tenant_secrets WHERE tenant_id = @t AND name = @n",
            cancellationToken,
            ("t", database.Id(tenantId)),
            ("n", name));
        await session.CommitAsync(cancellationToken);
        return removed > 0;
    }
}

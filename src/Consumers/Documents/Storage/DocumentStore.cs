using System.Collections.Concurrent;
using BacBos.Platform.Tenancy;

namespace BacBos.Consumers.Documents.Storage;

/// <summary>
/// Opens transactions on a tenant's document tables. The first use of a tenant in a process brings its storage up to
/// the current tenant migrations (a tenant activated before the documents migration gets its tables here); a tenant
/// without storage gets no transaction. Documents need no bus outbox, so on SQLite the transaction is on the tenant's
/// own file only (editing never takes the platform database's write lock).
/// </summary>
public sealed class DocumentStore(TenantDatabases tenants)
{
    private readonly ConcurrentDictionary<Guid, bool> _current = new();

    /// <summary>A write transaction over the tenant's document tables, or null when the tenant has no storage.</summary>
    public async Task<DocumentTransaction?> BeginAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!_current.ContainsKey(tenantId))
        {
            if (!await tenants.MigrateExistingAsync(tenantId, cancellationToken))
            {
                return null;
            }

            _current.TryAdd(tenantId, true);
        }

        if (!await tenants.ExistsAsync(tenantId, cancellationToken))
        {
            // Removed after it was checked: check again next time.
            _current.TryRemove(tenantId, out _);
            return null;
        }

        return new DocumentTransaction(await tenants.BeginAsync(tenantId, cancellationToken), tenants.Prefix(tenantId));
    }

    /// <summary>Runs <paramref name="work"/> in a transaction and commits when it returns a value; null (nothing found, no storage) rolls back.</summary>
    public async Task<T?> WriteAsync<T>(Guid tenantId, Func<DocumentTransaction, Task<T?>> work, CancellationToken cancellationToken)
        where T : class
    {
        await using var transaction = await BeginAsync(tenantId, cancellationToken);
        if (transaction is null)
        {
            return null;
        }

        var result = await work(transaction);
        if (result is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}

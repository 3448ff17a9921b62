using System.Collections.Concurrent;
using BacBos.Platform.Outbox;
using BacBos.Platform.Tenancy;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>
/// Opens CRM transactions on a tenant's storage. The first use of a tenant in a process brings its storage up to the
/// current tenant migrations (a tenant activated before the CRM migration existed gets its tables here); a tenant
/// without storage (unknown, not yet provisioned, or removed) gets no session.
/// </summary>
public sealed class CrmStorage(TenantDatabases tenants, BusOutbox outbox, ILogger<CrmStorage> logger)
{
    private readonly ConcurrentDictionary<Guid, bool> _current = new();

    /// <summary>A transaction over the tenant's CRM tables and the bus outbox, or null when the tenant has no storage.</summary>
    public async Task<CrmSession?> BeginAsync(Guid tenantId, bool readOnly, CancellationToken cancellationToken)
    {
        if (!await EnsureCurrentAsync(tenantId, cancellationToken))
        {
            return null;
        }

        try
        {
            return new CrmSession(tenantId, await tenants.BeginWithPlatformAsync(tenantId, readOnly, cancellationToken), outbox);
        }
        catch (InvalidOperationException)
        {
            // The storage went away after it was checked (the tenant was removed): no session, and check again next time.
            _current.TryRemove(tenantId, out _);
            if (await tenants.ExistsAsync(tenantId, cancellationToken))
            {
                throw;
            }

            return null;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a read-only session; no storage answers <see cref="CrmStatus.NoStorage"/>.</summary>
    public async Task<CrmResult<T>> ReadAsync<T>(Guid tenantId, Func<CrmSession, Task<CrmResult<T>>> work, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(tenantId, readOnly: true, cancellationToken);
        return session is null ? CrmResult<T>.NoStorage() : await work(session);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write session and commits when it succeeded (Ok, Created, Replayed); any other
    /// outcome rolls back everything it wrote, events included.
    /// </summary>
    public async Task<CrmResult<T>> WriteAsync<T>(Guid tenantId, Func<CrmSession, Task<CrmResult<T>>> work, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(tenantId, readOnly: false, cancellationToken);
        if (session is null)
        {
            return CrmResult<T>.NoStorage();
        }

        var result = await work(session);
        if (result.Status is CrmStatus.Ok or CrmStatus.Created or CrmStatus.Replayed)
        {
            await session.CommitAsync(cancellationToken);
        }

        return result;
    }

    private async Task<bool> EnsureCurrentAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (_current.ContainsKey(tenantId))
        {
            return true;
        }

        if (!await tenants.MigrateExistingAsync(tenantId, cancellationToken))
        {
            return false;
        }

        if (_current.TryAdd(tenantId, true))
        {
            logger.LogDebug("Tenant {TenantId} storage is at the current migration", tenantId);
        }

        return true;
    }
}

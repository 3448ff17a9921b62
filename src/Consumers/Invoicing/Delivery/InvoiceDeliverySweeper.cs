using BacBos.Consumers.Invoicing.Storage;
using BacBos.Platform.Data;
using BacBos.Platform.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// Every <see cref="InvoicingOptions.SweepInterval"/>, queues <c>DeliverInvoice</c> for each active tenant's documents
/// whose current revision still lacks its stored PDF or its email <see cref="InvoicingOptions.SweepAfter"/> after their
/// last change and that no delivery holds (at most <see cref="InvoicingOptions.SweepBatchSize"/> per tenant), so a
/// delivery that gave up after every redelivery (SMTP or S3 down for long) is done once the outage is over. Each queuing
/// counts an attempt of the document and backs it off (<see cref="InvoicingOptions.SweepBackoff"/>); after
/// <see cref="InvoicingOptions.SweepMaxAttempts"/> it is given up (a warning, once) until a new revision or an operator's
/// <c>POST …/deliver</c>. An email the SMTP server rejected for good is recorded as failed, so it is not swept. One replica
/// sweeps at a time: PostgreSQL's session advisory lock; in the embedded default (SQLite, one process) a process-wide
/// gate. Two sweeps at once would still deliver once: the command is idempotent under the document's delivery lease.
/// </summary>
public sealed class InvoiceDeliverySweeper(
    Database database,
    InvoiceStore store,
    InvoicingOptions options,
    TimeProvider time,
    ILogger<InvoiceDeliverySweeper> logger) : BackgroundService
{
    /// <summary>The advisory lock key of the sweep ("BBinvswp").</summary>
    public const long AdvisoryLockKey = 0x4242_696e_7673_7770;

    private static readonly SemaphoreSlim LocalGate = new(1, 1);

    /// <summary>One sweep; null when another sweep holds the lock, else how many deliveries it queued.</summary>
    public async Task<int?> SweepAsync(CancellationToken cancellationToken)
    {
        await using var hold = await TryHoldAsync(cancellationToken);
        return hold is null ? null : await SweepTenantsAsync(cancellationToken);
    }

    /// <summary>The sweep's lock, released on dispose; null when another sweep holds it.</summary>
    private async Task<IAsyncDisposable?> TryHoldAsync(CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return await LocalGate.WaitAsync(TimeSpan.Zero, cancellationToken) ? new Hold(() => { LocalGate.Release(); return ValueTask.CompletedTask; }) : null;
        }

        var connection = await database.OpenAsync(cancellationToken);
        var locked = false;
        try
        {
            locked = await AdvisoryAsync(connection, "pg_try_advisory_lock", cancellationToken);
        }
        finally
        {
            if (!locked)
            {
                await connection.DisposeAsync();
            }
        }

        return locked
            ? new Hold(async () =>
            {
                await using (connection)
                {
                    await AdvisoryAsync(connection, "pg_advisory_unlock", CancellationToken.None);
                }
            })
            : null;
    }

    private sealed class Hold(Func<ValueTask> release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => release();
    }

    private async Task<int> SweepTenantsAsync(CancellationToken cancellationToken)
    {
        var changedBefore = time.GetUtcNow() - options.SweepAfter;
        var queued = 0;
        foreach (var tenantId in await ActiveTenantsAsync(cancellationToken))
        {
            try
            {
                var (count, gaveUp) = await store.QueueStalledDeliveriesAsync(tenantId, changedBefore, options, cancellationToken);
                foreach (var number in gaveUp)
                {
                    logger.LogWarning(
                        "Invoice sweep gave up on {Number} of tenant {TenantId} after {Attempts} attempts; a new revision or POST /api/v1/invoices/{{id}}/deliver tries again",
                        number, tenantId, options.SweepMaxAttempts);
                }

                if (gaveUp.Count > 0)
                {
                    BacBosMetrics.InvoiceSweepsGivenUp(gaveUp.Count);
                }

                if (count > 0)
                {
                    logger.LogWarning("Invoice sweep queued {Count} stalled deliveries of tenant {TenantId} (unchanged since before {ChangedBefore})", count, tenantId, changedBefore);
                    BacBosMetrics.InvoiceRedeliveriesQueued("sweeper", count);
                    queued += count;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One tenant's storage failing must not stop the others.
                logger.LogError(ex, "Invoice sweep of tenant {TenantId} failed; retrying on the next sweep", tenantId);
            }
        }

        if (queued > 0)
        {
            logger.LogWarning("Invoice sweep queued {Count} stalled deliveries in all", queued);
        }

        return queued;
    }

    private async Task<List<Guid>> ActiveTenantsAsync(CancellationToken cancellationToken)
    {
        await using var session = await database.BeginOwnedAsync(cancellationToken);
        await using var command = session.Command("SELECT id FROM tenants WHERE status = 'active' ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(Database.ReadId(reader, 0));
        }

        return ids;
    }

    private static async Task<bool> AdvisoryAsync(System.Data.Common.DbConnection connection, string function, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {function}({AdvisoryLockKey})";
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.SweepInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await SweepAsync(stoppingToken) is null)
                {
                    logger.LogDebug("Invoice sweep skipped: another replica is sweeping");
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Invoice sweep failed; retrying on the next tick");
            }
        }
    }
}

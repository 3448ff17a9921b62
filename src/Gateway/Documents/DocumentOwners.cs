using System.Diagnostics.Metrics;
using BacBos.Consumers.Documents;
using BacBos.Platform.Data;
using BacBos.Platform.Hosting;

namespace BacBos.Gateway.Documents;

/// <summary>The owner lease of the <c>Documents</c> section: set <see cref="ReplicaUrl"/> on every replica of a multi-replica gateway.</summary>
public sealed class DocumentOwnershipOptions
{
    /// <summary>
    /// The internal base URL at which the other replicas reach this one (e.g. <c>http://10.0.0.5:5080</c>). Empty (the
    /// embedded default, one replica): no lease, every document's editors are served where they connect.
    /// </summary>
    public string? ReplicaUrl { get; set; }

    /// <summary>How long an owner lease lasts unless renewed; a replica that died loses its documents after this.</summary>
    public TimeSpan OwnerLeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a replica renews the leases of the documents it serves.</summary>
    public TimeSpan OwnerLeaseRenewal { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The per-document owner lease (platform table <c>document_owners</c>): the one replica that orders a document's
/// operations. A replica takes the lease when it serves a document's first editor (an upsert that only succeeds when
/// the lease is free, expired or already its own), renews every lease it serves on a timer, and deletes it when the
/// document's last editor here leaves or the process stops. Lease times are the process clock, so replicas' clocks are
/// assumed to agree to well within the lease's TTL.
/// </summary>
public sealed class DocumentOwners(Database database, DocumentOwnershipOptions options, TimeProvider time, ILogger<DocumentOwners> logger) : BackgroundService
{
    private static readonly Meter Meter = new(HostingExtensions.MeterName);
    private static readonly Counter<long> Forwarded = Meter.CreateCounter<long>("bacbos.documents.sockets_forwarded", description: "Document WebSockets forwarded to the replica that owns the document");

    private readonly Lock _gate = new();

    // Renewals and releases of this replica's leases, one at a time: a renewal never re-creates a lease just released.
    // Never disposed: its wait handle is never created, and a late editor's release may still wait on it at shutdown.
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Dictionary<(Guid Tenant, Guid Document), int> _served = [];

    /// <summary>Whether this replica takes part in owner leases (<see cref="DocumentOwnershipOptions.ReplicaUrl"/> is set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.ReplicaUrl);

    private string Self => options.ReplicaUrl!.TrimEnd('/');

    public static void CountForwarded() => Forwarded.Add(1);

    /// <summary>Takes or renews the lease; null when this replica owns the document now, else the owner's URL.</summary>
    public async Task<string?> ClaimAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            await using var session = await database.BeginOwnedAsync(cancellationToken);
            var taken = await session.ExecuteAsync(
                "INSERT INTO document_owners (tenant_id, document_id, owner_url, expires_at) VALUES (@tenant, @document, @owner, @expires) " +
                "ON CONFLICT (tenant_id, document_id) DO UPDATE SET owner_url = excluded.owner_url, expires_at = excluded.expires_at " +
                "WHERE document_owners.owner_url = excluded.owner_url OR document_owners.expires_at <= @now",
                cancellationToken,
                ("tenant", database.Id(tenantId)),
                ("document", database.Id(documentId)),
                ("owner", Self),
                ("expires", database.Time(now + options.OwnerLeaseTtl)),
                ("now", database.Time(now)));
            var owner = taken > 0 ? Self : await session.ScalarAsync(
                "SELECT owner_url FROM document_owners WHERE tenant_id = @tenant AND document_id = @document",
                cancellationToken,
                ("tenant", database.Id(tenantId)),
                ("document", database.Id(documentId))) as string;
            await session.CommitAsync(cancellationToken);

            // The holder released it between the two statements: try again (it is free now).
            if (owner is not null || attempt >= 2)
            {
                return owner is null || owner == Self ? null : owner;
            }
        }
    }

    /// <summary>Marks the document as served here until the returned handle is disposed (renewed meanwhile; released after the last).</summary>
    public IAsyncDisposable Serve(Guid tenantId, Guid documentId)
    {
        var key = (tenantId, documentId);
        if (Enabled)
        {
            lock (_gate)
            {
                _served[key] = _served.GetValueOrDefault(key) + 1;
            }
        }

        return new Serving(this, key);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Enabled)
        {
            await TryAsync("release the leases", async () =>
            {
                await using var session = await database.BeginOwnedAsync(cancellationToken);
                await session.ExecuteAsync("DELETE FROM document_owners WHERE owner_url = @owner", cancellationToken, ("owner", Self));
                await session.CommitAsync(cancellationToken);
            });
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.OwnerLeaseRenewal, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                List<(Guid Tenant, Guid Document)> served;
                lock (_gate)
                {
                    served = [.. _served.Keys];
                }

                // Renews our leases, and takes over the ones whose owner stopped renewing while we served anyway.
                foreach (var key in served)
                {
                    await WritingAsync(key, served: true, () => ClaimAsync(key.Tenant, key.Document, stoppingToken), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReleaseAsync((Guid Tenant, Guid Document) key)
    {
        lock (_gate)
        {
            var count = _served.GetValueOrDefault(key) - 1;
            if (count > 0)
            {
                _served[key] = count;
                return;
            }

            _served.Remove(key);
        }

        await WritingAsync(key, served: false, async () =>
        {
            await using var session = await database.BeginOwnedAsync(CancellationToken.None);
            await session.ExecuteAsync(
                "DELETE FROM document_owners WHERE tenant_id = @tenant AND document_id = @document AND owner_url = @owner",
                CancellationToken.None,
                ("tenant", database.Id(key.Tenant)),
                ("document", database.Id(key.Document)),
                ("owner", Self));
            await session.CommitAsync(CancellationToken.None);
        }, CancellationToken.None);
    }

    /// <summary>Runs a renewal (<paramref name="served"/>) or a release of one lease if the document is still (or no longer) served here.</summary>
    private async Task WritingAsync((Guid Tenant, Guid Document) key, bool served, Func<Task> write, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            bool now;
            lock (_gate)
            {
                now = _served.ContainsKey(key);
            }

            if (now == served)
            {
                await TryAsync(served ? "renew a lease" : "release a lease", write);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task TryAsync(string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not {What} of documents served here; the revision guard keeps edits consistent meanwhile", what);
        }
    }

    private sealed class Serving(DocumentOwners owners, (Guid Tenant, Guid Document) key) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && owners.Enabled)
            {
                await owners.ReleaseAsync(key);
            }
        }
    }
}

/// <summary>Registration of the owner lease and the forwarding of document WebSockets.</summary>
public static class DocumentOwnershipRegistration
{
    public static IServiceCollection AddDocumentOwnership(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(DocumentsOptions.Section).Get<DocumentOwnershipOptions>() ?? new DocumentOwnershipOptions());
        services.AddSingleton<DocumentOwners>();
        services.AddHostedService(sp => sp.GetRequiredService<DocumentOwners>());
        services.AddSingleton<DocumentForwarding>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using BacBos.Consumers.Documents.Storage;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Documents.Editing;

/// <summary>
/// The documents open for editing in this process, one <see cref="LiveDocument"/> per tenant and document. One
/// document's operations are ordered here, in the process its editors are connected to; the gateway forwards a
/// document's WebSockets to one replica (see the README), and the persisted revision check makes a second replica
/// that opened the same document anyway reload instead of diverging.
/// </summary>
public sealed class DocumentEditing(DocumentStore store, DocumentsOptions options, [FromKeyedServices(DocumentsOptions.Clock)] TimeProvider time, ILogger<DocumentEditing> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid Tenant, Guid Document), LiveDocument> _open = [];

    /// <summary>Joins <paramref name="editor"/> to the document (it receives the hello first); null when the tenant has no such live document.</summary>
    public async Task<LiveDocument?> JoinAsync(Guid tenantId, Guid documentId, IDocumentEditor editor, CancellationToken cancellationToken)
    {
        while (true)
        {
            var live = GetOrOpen(tenantId, documentId);
            switch (await live.JoinAsync(editor, cancellationToken))
            {
                case JoinOutcome.Joined:
                    return live;
                case JoinOutcome.NotFound:
                    return null;
                default:
                    continue;
            }
        }
    }

    /// <summary>The document if it is open here (for a restore or a deletion to go through its editors).</summary>
    public LiveDocument? Find(Guid tenantId, Guid documentId)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault((tenantId, documentId));
        }
    }

    /// <summary>How many documents are open here (tests and metrics).</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    private LiveDocument GetOrOpen(Guid tenantId, Guid documentId)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue((tenantId, documentId), out var live) || live.IsClosed)
            {
                live = new LiveDocument(tenantId, documentId, store, options, time, logger, Remove);
                _open[(tenantId, documentId)] = live;
            }

            return live;
        }
    }

    private void Remove(LiveDocument live)
    {
        lock (_gate)
        {
            if (_open.TryGetValue((live.TenantId, live.DocumentId), out var current) && ReferenceEquals(current, live))
            {
                _open.Remove((live.TenantId, live.DocumentId));
            }
        }
    }
}

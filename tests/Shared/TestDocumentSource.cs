using System.Collections.Concurrent;
using BacBos.Consumers.Documents;

namespace BacBos.Tests.Shared;

/// <summary>
/// The tests' side of the <see cref="IDocumentSource"/> seam (the documents store implements it in production): documents
/// per tenant in memory. A document added as <c>vanishing</c> is found once only — by the gateway's check — and is gone
/// when the render step reads it, as if deleted in between.
/// </summary>
public sealed class TestDocumentSource : IDocumentSource
{
    private readonly ConcurrentDictionary<(Guid Tenant, Guid Document), (DocumentContent Content, bool Vanishing)> _documents = new();

    public DocumentContent Add(Guid tenantId, string title, string markdown, bool vanishing = false)
    {
        var document = new DocumentContent(Guid.NewGuid(), title, markdown, 3);
        _documents[(tenantId, document.DocumentId)] = (document, vanishing);
        return document;
    }

    public Task<DocumentContent?> FindAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        if (!_documents.TryGetValue((tenantId, documentId), out var entry))
        {
            return Task.FromResult<DocumentContent?>(null);
        }

        if (entry.Vanishing)
        {
            _documents.TryRemove((tenantId, documentId), out _);
        }

        return Task.FromResult<DocumentContent?>(entry.Content);
    }
}

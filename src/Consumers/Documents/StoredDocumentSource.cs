using BacBos.Consumers.Documents.Storage;

namespace BacBos.Consumers.Documents;

/// <summary>
/// <see cref="IDocumentSource"/> over the tenant's document tables: the stored content is the current one, because
/// every collaborative revision is persisted before it is acknowledged or broadcast.
/// </summary>
public sealed class StoredDocumentSource(DocumentStore store) : IDocumentSource
{
    public async Task<DocumentContent?> FindAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        await store.WriteAsync(
            tenantId,
            async tx => await tx.FindAsync(documentId, forUpdate: false, cancellationToken) is { } row ? new DocumentContent(row.Id, row.Title, row.Content, row.Revision) : null,
            cancellationToken);
}

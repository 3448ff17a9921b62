namespace BacBos.Consumers.Documents;

/// <summary>
/// The seam between the documents store (REST + collaboration) and the export saga: the export reads the document's
/// current content through this, so rendering never depends on how documents are stored.
/// </summary>
public interface IDocumentSource
{
    /// <summary>The document's current title and Markdown content, or null when the tenant has no such (live) document.</summary>
    Task<DocumentContent?> FindAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken);
}

/// <summary>A document as the export saga sees it: title, Markdown content and the revision it was read at.</summary>
public sealed record DocumentContent(Guid DocumentId, string Title, string Markdown, long Revision);

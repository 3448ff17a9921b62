namespace BacBos.Contracts.Documents;

/// <summary>Saga → render consumer: read the document's current content and render it in <paramref name="Format"/>.</summary>
public sealed record RenderDocumentExport(Guid ExportId, Guid TenantId, Guid DocumentId, string Format);

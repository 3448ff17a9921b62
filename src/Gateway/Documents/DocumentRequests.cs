namespace BacBos.Gateway.Documents;

/// <summary><c>POST /api/v1/documents</c>: a title and the initial Markdown content (empty when absent); saved as version 1.</summary>
public sealed record CreateDocumentRequest(string? Title, string? Content);

/// <summary><c>PATCH /api/v1/documents/{id}</c>: a new title (content changes go through the collaboration WebSocket or a restore).</summary>
public sealed record PatchDocumentRequest(string? Title);

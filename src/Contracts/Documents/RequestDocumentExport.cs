namespace BacBos.Contracts.Documents;

/// <summary>Starts an export saga: render the tenant's document in <paramref name="Format"/>, store it, make a download URL.</summary>
public sealed record RequestDocumentExport(Guid ExportId, Guid TenantId, Guid DocumentId, string Format, DateTimeOffset RequestedAt);

namespace BacBos.Contracts.Documents;

/// <summary>Saga → store consumer: put the rendered file into the tenant's object storage and make a download URL.</summary>
public sealed record StoreDocumentExport(Guid ExportId, Guid TenantId, Guid DocumentId, string FileName, string ContentType, byte[] Content);

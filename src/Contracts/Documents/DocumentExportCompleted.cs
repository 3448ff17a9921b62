namespace BacBos.Contracts.Documents;

/// <summary>Published when an export is ready to download.</summary>
public sealed record DocumentExportCompleted(Guid ExportId, Guid TenantId, Guid DocumentId, string Format, Uri DownloadUrl, DateTimeOffset ExpiresAt);

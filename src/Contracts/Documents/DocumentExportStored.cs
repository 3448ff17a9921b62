namespace BacBos.Contracts.Documents;

/// <summary>Store consumer → saga: where the file is (<paramref name="Location"/>, e.g. <c>s3://bucket/key</c>) and its time-limited URL.</summary>
public sealed record DocumentExportStored(Guid ExportId, string Location, long SizeBytes, Uri DownloadUrl, DateTimeOffset ExpiresAt);

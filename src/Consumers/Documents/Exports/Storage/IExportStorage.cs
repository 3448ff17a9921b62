namespace BacBos.Consumers.Documents.Exports.Storage;

/// <summary>Where one export's file lives: per tenant, per document, per export (so a repeat overwrites itself only).</summary>
public sealed record ExportObject(Guid TenantId, Guid DocumentId, Guid ExportId, string FileName)
{
    public string Key => $"exports/{DocumentId:N}/{ExportId:N}/{FileName}";
}

/// <summary>The tenant's object storage for exports: put a file, hand out a time-limited URL to it.</summary>
public interface IExportStorage
{
    /// <summary>Stores the file (overwriting the same object on a repeat); returns its location, e.g. <c>s3://bucket/key</c>.</summary>
    Task<string> PutAsync(ExportObject file, byte[] content, string contentType, CancellationToken cancellationToken);

    /// <summary>A URL that downloads the file until <paramref name="expiresAt"/>.</summary>
    Task<Uri> DownloadUrlAsync(ExportObject file, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

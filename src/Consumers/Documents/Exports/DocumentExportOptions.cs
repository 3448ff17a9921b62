namespace BacBos.Consumers.Documents.Exports;

/// <summary>Configuration section <c>Documents:Exports</c>.</summary>
public sealed class DocumentExportOptions
{
    public const string Section = "Documents:Exports";

    /// <summary>How long a download URL stays valid (presigned S3 URLs allow at most 7 days).</summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The folder of the local store (used when no S3 endpoint is configured); default <c>{Database:DataDirectory}/exports</c>.
    /// Gateway and worker must see the same folder.
    /// </summary>
    public string? LocalFolder { get; set; }

    /// <summary>Base URL of signed local download links; default <c>PublicUrls:ApiBaseUrl</c>.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest rendered file the store step accepts (bytes); a larger one fails the export with the reason.</summary>
    public long MaxFileBytes { get; set; } = 8 * 1024 * 1024;
}

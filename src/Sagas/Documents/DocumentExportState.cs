using BacBos.Contracts.Documents;
using BacBos.Platform.Sagas;

namespace BacBos.Sagas.Documents;

/// <summary>
/// One export: the saga instance and the export's status record (kept after completion). The gateway creates it in
/// <c>Accepted</c> together with the <see cref="RequestDocumentExport"/> it publishes, so the status is readable at once.
/// </summary>
public sealed class DocumentExportState : IPersistedSaga
{
    public const string AcceptedState = "Accepted";

    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Version { get; set; }

    public Guid TenantId { get; set; }

    public Guid DocumentId { get; set; }

    public string Format { get; set; } = string.Empty;

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The document revision the export was rendered from.</summary>
    public long? Revision { get; set; }

    public string? FileName { get; set; }

    public string? ContentType { get; set; }

    public long? SizeBytes { get; set; }

    /// <summary>Where the file is stored (<c>s3://bucket/key</c> or <c>file:…</c>).</summary>
    public string? Location { get; set; }

    public Uri? DownloadUrl { get; set; }

    public DateTimeOffset? UrlExpiresAt { get; set; }

    public string? FailedStep { get; set; }

    public string? FailureReason { get; set; }

    /// <summary>The state the gateway writes when it accepts an export (the saga takes over from there).</summary>
    public static DocumentExportState Accept(RequestDocumentExport request) => new()
    {
        CorrelationId = request.ExportId,
        CurrentState = AcceptedState,
        TenantId = request.TenantId,
        DocumentId = request.DocumentId,
        Format = request.Format,
        RequestedAt = request.RequestedAt,
        UpdatedAt = request.RequestedAt,
    };

    public RenderDocumentExport Start(RequestDocumentExport request, DateTimeOffset now)
    {
        TenantId = request.TenantId;
        DocumentId = request.DocumentId;
        Format = request.Format;
        RequestedAt = request.RequestedAt;
        UpdatedAt = now;
        return new RenderDocumentExport(CorrelationId, TenantId, DocumentId, Format);
    }

    public StoreDocumentExport OnRendered(DocumentExportRendered rendered, DateTimeOffset now)
    {
        FileName = rendered.FileName;
        ContentType = rendered.ContentType;
        SizeBytes = rendered.Content.LongLength;
        Revision = rendered.Revision;
        UpdatedAt = now;
        return new StoreDocumentExport(CorrelationId, TenantId, DocumentId, rendered.FileName, rendered.ContentType, rendered.Content);
    }

    public DocumentExportCompleted OnStored(DocumentExportStored stored, DateTimeOffset now)
    {
        Location = stored.Location;
        SizeBytes = stored.SizeBytes;
        DownloadUrl = stored.DownloadUrl;
        UrlExpiresAt = stored.ExpiresAt;
        UpdatedAt = now;
        FinishedAt = now;
        return new DocumentExportCompleted(CorrelationId, TenantId, DocumentId, Format, stored.DownloadUrl, stored.ExpiresAt);
    }

    public void OnFailed(string step, string reason, DateTimeOffset now)
    {
        FailedStep = step;
        FailureReason = reason;
        UpdatedAt = now;
        FinishedAt = now;
    }
}

using BacBos.Sagas.Documents;

namespace BacBos.Gateway.Documents.Exports;

/// <summary>Body of <c>POST /api/v1/documents/{id}/exports</c>.</summary>
public sealed record CreateDocumentExportRequest(string? Format);

/// <summary>Why an export failed: the step (<c>render</c>, <c>store</c>) and the reason.</summary>
public sealed record DocumentExportFailure(string Step, string Reason);

/// <summary>An export's status; the download URL and its expiry once completed, the failure once failed.</summary>
public sealed record DocumentExportResponse(
    Guid ExportId,
    Guid DocumentId,
    string Format,
    string Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? FinishedAt,
    long? Revision,
    string? FileName,
    string? ContentType,
    long? SizeBytes,
    Uri? DownloadUrl,
    DateTimeOffset? UrlExpiresAt,
    DocumentExportFailure? Failure)
{
    public static DocumentExportResponse From(DocumentExportState state, Uri? url, DateTimeOffset? expiresAt) => new(
        state.CorrelationId,
        state.DocumentId,
        state.Format,
        state.CurrentState.ToLowerInvariant(),
        state.RequestedAt,
        state.FinishedAt,
        state.Revision,
        state.FileName,
        state.ContentType,
        state.SizeBytes,
        url,
        expiresAt,
        state.FailureReason is null ? null : new DocumentExportFailure(state.FailedStep ?? "unknown", state.FailureReason));
}

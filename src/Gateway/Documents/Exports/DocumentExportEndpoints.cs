using System.Security.Claims;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Exports;
using BacBos.Consumers.Documents.Exports.Storage;
using BacBos.Contracts.Documents;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Crm;
using BacBos.Gateway.Http;
using BacBos.Platform.Sagas;
using BacBos.Sagas.Documents;
using Microsoft.AspNetCore.StaticFiles;

namespace BacBos.Gateway.Documents.Exports;

/// <summary>
/// Exports of a tenant's document: start one (202 + Location), read its status and download URL. Exports are looked up
/// by id and must belong to the caller's tenant and to the document in the path, otherwise 404. With the local folder
/// store (embedded default) the gateway also serves the signed download links, without an API key.
/// </summary>
public static class DocumentExportEndpoints
{
    private const long MaxBodyBytes = 4 * 1024;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapDocumentExportEndpoints(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/v1/documents/{id:guid}/exports")
            .RequireAuthorization(ApiKeyAuthenticationHandler.TenantRole)
            .WithTags("Documents: exports")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        exports.MapPost("/", CreateExport).WithName("CreateDocumentExport")
            .WithSummary("Export the document as pdf, docx or html: 202 and the export's status URL; Idempotency-Key makes retries safe")
            .WithJsonBody<CreateDocumentExportRequest>().Produces<DocumentExportResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        exports.MapGet("/{exportId:guid}", GetExport).WithName("GetDocumentExport")
            .WithSummary("An export's status (accepted, rendering, storing, completed, failed), its time-limited download URL or its failure")
            .Produces<DocumentExportResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet(LocalFolderExportStorage.RoutePrefix + "/{tenantId:guid}/{documentId:guid}/{exportId:guid}/{fileName}", Download)
            .AllowAnonymous().WithTags("Documents: exports").WithName("DownloadDocumentExport")
            .WithSummary("Download an export stored in the local folder through its signed, time-limited link")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        return app;
    }

    private static async Task<IResult> CreateExport(Guid id, HttpContext http, ClaimsPrincipal user, DocumentExportIntake intake, SagaDocumentStore<DocumentExportState> store, CancellationToken cancellationToken)
    {
        var (tenantId, _) = CrmHttp.Caller(user);
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        var body = await JsonBody.ReadAsync<CreateDocumentExportRequest>(http.Request, MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (string.IsNullOrWhiteSpace(body.Value!.Format))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = [$"format is required: one of {string.Join(", ", DocumentExportFormat.All)}."] });
        }

        var format = DocumentExportFormat.Normalise(body.Value.Format);
        if (format is null)
        {
            return Problems.Create(
                StatusCodes.Status422UnprocessableEntity,
                "unsupported-export-format",
                "The export format is not supported",
                $"'{body.Value.Format}' is not an export format; use one of {string.Join(", ", DocumentExportFormat.All)}.",
                new Dictionary<string, object?> { ["allowed"] = DocumentExportFormat.All });
        }

        if (http.RequestServices.GetService<IDocumentSource>() is not { } documents)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "documents-unavailable", "Documents are not available", "This gateway has no documents store configured.");
        }

        if (await documents.FindAsync(tenantId, id, cancellationToken) is null)
        {
            return Problems.NotFound("Document", id.ToString());
        }

        var (outcome, exportId) = await intake.SubmitAsync(tenantId, id, format, key, cancellationToken);
        if (outcome == DocumentExportIntake.Outcome.KeyReusedWithDifferentBody)
        {
            return Problems.IdempotencyKeyReused(
                "This Idempotency-Key was first used to export another document or format; use a new key for a new export.", "export_id", exportId);
        }

        var state = await store.FindAsync(exportId, cancellationToken)
            ?? throw new InvalidOperationException($"Export {exportId} was accepted but its record is missing.");
        return TypedResults.Accepted($"/api/v1/documents/{id}/exports/{exportId}", DocumentExportResponse.From(state, state.DownloadUrl, state.UrlExpiresAt));
    }

    private static async Task<IResult> GetExport(
        Guid id,
        Guid exportId,
        ClaimsPrincipal user,
        SagaDocumentStore<DocumentExportState> store,
        IExportStorage storage,
        DocumentExportOptions options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (tenantId, _) = CrmHttp.Caller(user);
        var state = await store.FindAsync(exportId, cancellationToken);
        if (state is null || state.TenantId != tenantId || state.DocumentId != id)
        {
            return Problems.NotFound("Export", exportId.ToString());
        }

        var (url, expiresAt) = (state.DownloadUrl, state.UrlExpiresAt);
        // The URL the saga recorded expires; a completed export's status always shows one that still works for a while.
        if (url is not null && state.FileName is not null && expiresAt < time.GetUtcNow() + (options.UrlLifetime / 4))
        {
            expiresAt = time.GetUtcNow() + options.UrlLifetime;
            url = await storage.DownloadUrlAsync(new ExportObject(state.TenantId, state.DocumentId, state.CorrelationId, state.FileName), expiresAt.Value, cancellationToken);
        }

        return TypedResults.Ok(DocumentExportResponse.From(state, url, expiresAt));
    }

    private static IResult Download(Guid tenantId, Guid documentId, Guid exportId, string fileName, string? expires, string? signature, IExportStorage storage, TimeProvider time)
    {
        var file = new ExportObject(tenantId, documentId, exportId, fileName);
        var (path, problem) = storage is LocalFolderExportStorage local ? local.Resolve(file, expires, signature, time.GetUtcNow()) : (null, "missing");
        return problem switch
        {
            "forbidden" => Problems.Create(StatusCodes.Status403Forbidden, "invalid-download-signature", "The download link is not valid", "The link's signature does not match; use the URL from the export's status."),
            "expired" => Problems.Create(StatusCodes.Status410Gone, "download-link-expired", "The download link has expired", "Read the export's status again for a fresh link."),
            null => TypedResults.PhysicalFile(path!, ContentTypes.TryGetContentType(fileName, out var type) ? type : "application/octet-stream", fileName),
            _ => Problems.NotFound("Export file", fileName),
        };
    }
}

using System.Security.Claims;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Crm;
using BacBos.Gateway.Http;

namespace BacBos.Gateway.Documents;

/// <summary>
/// The documents API, called with a tenant's API key: documents (create with an initial version, read, list, rename,
/// soft delete), versions (list, read, restore), session tokens for the collaboration WebSocket, and the WebSocket
/// itself (<see cref="DocumentSocket"/>). Ids are looked up in the caller's own tenant storage only: another tenant's
/// id is not found (404).
/// </summary>
public static class DocumentEndpoints
{
    private static readonly ListSpec Documents = new(
        "/api/v1/documents",
        new Dictionary<string, string> { ["created_at"] = "created_at", ["updated_at"] = "updated_at", ["title"] = "title" },
        "-updated_at",
        new Dictionary<string, ListFilter>());

    public static WebApplication UseDocumentEndpoints(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapGet("/ws/documents/{id:guid}", DocumentSocket.AcceptAsync).WithTags("Documents").WithName("EditDocument")
            .WithSummary("Collaborative editing over a WebSocket (tenant key, or ?access_token= from a session token); see the README for the protocol")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);

        var documents = app.MapGroup("/api/v1/documents").WithTags("Documents")
            .RequireAuthorization(ApiKeyAuthenticationHandler.TenantRole)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        documents.MapPost("/", CreateAsync).WithName("CreateDocument").WithSummary("Create a document from a title and Markdown content; saved as version 1")
            .WithJsonBody<CreateDocumentRequest>().Produces<DocumentResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        documents.MapGet("/", ListAsync).WithName("ListDocuments").WithSummary("Documents (without content), paged and sorted").Produces<PageResponse<DocumentSummaryResponse>>().ProducesValidationProblem();
        documents.MapGet("/{id:guid}", GetAsync).WithName("GetDocument").WithSummary("One document with its current content and revision")
            .Produces<DocumentResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapPatch("/{id:guid}", PatchAsync).WithName("RenameDocument").WithSummary("Change the title")
            .WithJsonBody<PatchDocumentRequest>().Produces<DocumentResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteDocument").WithSummary("Soft-delete; open editors are disconnected")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapGet("/{id:guid}/versions", ListVersionsAsync).WithName("ListDocumentVersions").WithSummary("Saved versions, newest first (without content)")
            .Produces<PageResponse<VersionResponse>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapGet("/{id:guid}/versions/{number:int}", GetVersionAsync).WithName("GetDocumentVersion").WithSummary("One version with its content")
            .Produces<VersionResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapPost("/{id:guid}/versions/{number:int}/restore", RestoreAsync).WithName("RestoreDocumentVersion")
            .WithSummary("Make a version's content current: a new revision (broadcast to open editors) and a new version")
            .Produces<RestoreResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        documents.MapPost("/{id:guid}/session-tokens", IssueTokenAsync).WithName("IssueDocumentSessionToken")
            .WithSummary("A short-lived token that opens this document's WebSocket (?access_token=)")
            .Produces<SessionTokenResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ClaimsPrincipal user, DocumentService documents, DocumentsOptions options, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateDocumentRequest>(http.Request, MaxBodyBytes(options), cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = new Dictionary<string, string[]>();
        var title = ValidTitle(body.Value!.Title, options, errors);
        var content = body.Value.Content ?? string.Empty;
        var length = CodePoints.CountOrMinusOne(content);
        if (length < 0)
        {
            errors["content"] = ["The content contains an unpaired UTF-16 surrogate."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (length > options.MaxDocumentLength)
        {
            return TooLong(length, options);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var created = await documents.CreateAsync(tenantId, title!, content, actor, cancellationToken);
        return created.Value is { } row ? TypedResults.Created($"/api/v1/documents/{row.Id:D}", DocumentResponse.From(row)) : Problem(created);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ClaimsPrincipal user, DocumentService documents, CrmOptions paging, CancellationToken cancellationToken)
    {
        var (query, sortSql, errors) = ListParameters.Parse(request, Documents, paging);
        if (query is null)
        {
            return CrmHttp.Validation(errors);
        }

        var page = (await documents.ListAsync(CrmHttp.Caller(user).TenantId, query.OrderAndPage(sortSql), cancellationToken)).Value!;
        return TypedResults.Ok(new PageResponse<DocumentSummaryResponse>(
            page.Items.Select(DocumentSummaryResponse.From).ToList(), query.Page, query.PageSize, page.Total, ListParameters.Next(request, Documents, query, page.Items.Count, page.Total)));
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, DocumentService documents, CancellationToken cancellationToken) =>
        Ok(await documents.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken), DocumentResponse.From);

    private static async Task<IResult> PatchAsync(Guid id, HttpRequest request, ClaimsPrincipal user, DocumentService documents, DocumentsOptions options, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<PatchDocumentRequest>(request, 16 * 1024, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = new Dictionary<string, string[]>();
        var title = ValidTitle(body.Value!.Title, options, errors);
        return title is null
            ? Problems.Validation(errors)
            : Ok(await documents.RenameAsync(CrmHttp.Caller(user).TenantId, id, title, cancellationToken), DocumentResponse.From);
    }

    private static async Task<IResult> DeleteAsync(Guid id, ClaimsPrincipal user, DocumentService documents, CancellationToken cancellationToken) =>
        await documents.DeleteAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<IResult> ListVersionsAsync(Guid id, HttpRequest request, ClaimsPrincipal user, DocumentService documents, CrmOptions paging, CancellationToken cancellationToken)
    {
        var spec = new ListSpec($"/api/v1/documents/{id:D}/versions", new Dictionary<string, string> { ["number"] = "number" }, "-number", new Dictionary<string, ListFilter>());
        var (query, _, errors) = ListParameters.Parse(request, spec, paging);
        if (query is null)
        {
            return CrmHttp.Validation(errors);
        }

        var result = await documents.ListVersionsAsync(CrmHttp.Caller(user).TenantId, id, query.Descending, query.Offset, query.PageSize, cancellationToken);
        return Ok(result, page => new PageResponse<VersionResponse>(
            page.Items.Select(v => VersionResponse.From(v, withContent: false)).ToList(), query.Page, query.PageSize, page.Total, ListParameters.Next(request, spec, query, page.Items.Count, page.Total)));
    }

    private static async Task<IResult> GetVersionAsync(Guid id, int number, ClaimsPrincipal user, DocumentService documents, CancellationToken cancellationToken) =>
        Ok(await documents.GetVersionAsync(CrmHttp.Caller(user).TenantId, id, number, cancellationToken), v => VersionResponse.From(v, withContent: true));

    private static async Task<IResult> RestoreAsync(Guid id, int number, ClaimsPrincipal user, DocumentService documents, CancellationToken cancellationToken)
    {
        var (tenantId, actor) = CrmHttp.Caller(user);
        return Ok(
            await documents.RestoreAsync(tenantId, id, number, actor, cancellationToken),
            r => new RestoreResponse(DocumentResponse.From(r.Document), VersionResponse.From(r.Version, withContent: false)));
    }

    private static async Task<IResult> IssueTokenAsync(Guid id, ClaimsPrincipal user, DocumentService documents, SessionTokens tokens, CancellationToken cancellationToken)
    {
        var (tenantId, actor) = CrmHttp.Caller(user);
        var found = await documents.GetAsync(tenantId, id, cancellationToken);
        if (found.Value is null)
        {
            return Problem(found);
        }

        var (token, expires) = tokens.Issue(tenantId, id, actor);
        return TypedResults.Created((string?)null, new SessionTokenResponse(token, expires, $"/ws/documents/{id:D}?access_token={Uri.EscapeDataString(token)}"));
    }

    /// <summary>A body may carry the largest document (4 UTF-8 bytes per code point at most, or a 6-byte JSON escape per UTF-16 unit) plus a title.</summary>
    private static long MaxBodyBytes(DocumentsOptions options) => (options.MaxDocumentLength * 12L) + (64 * 1024);

    private static string? ValidTitle(string? raw, DocumentsOptions options, Dictionary<string, string[]> errors)
    {
        var title = raw?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors["title"] = ["A title is required."];
        }
        else if (title.Length > options.MaxTitleLength)
        {
            errors["title"] = [$"The title may have at most {options.MaxTitleLength} characters; it has {title.Length}."];
        }
        else if (title.Any(char.IsControl) || CodePoints.CountOrMinusOne(title) < 0)
        {
            errors["title"] = ["The title must be one line of text without control characters."];
        }
        else
        {
            return title;
        }

        return null;
    }

    private static IResult TooLong(int length, DocumentsOptions options) => Problems.Create(
        StatusCodes.Status422UnprocessableEntity,
        "document-too-large",
        "The document is too large",
        $"The content has {length} code points; a document may have at most {options.MaxDocumentLength}.",
        new Dictionary<string, object?> { ["length"] = length, ["max_length"] = options.MaxDocumentLength });

    private static IResult Ok<T, TResponse>(DocumentOutcome<T> outcome, Func<T, TResponse> map) =>
        outcome.Status == DocumentStatus.Ok ? TypedResults.Ok(map(outcome.Value!)) : Problem(outcome);

    private static IResult Problem<T>(DocumentOutcome<T> outcome) => outcome.Status switch
    {
        DocumentStatus.Conflict => Problems.Create(StatusCodes.Status409Conflict, "concurrent-modification", "The document changed while this request ran", outcome.Detail ?? string.Empty),
        DocumentStatus.NoStorage => Problems.Create(StatusCodes.Status409Conflict, "tenant-storage-missing", "The tenant's document storage is not there", outcome.Detail ?? string.Empty),
        _ => Problems.Create(StatusCodes.Status404NotFound, "not-found", "Not found", "No such document or version in this tenant.", new Dictionary<string, object?> { ["resource"] = "document" }),
    };

    private static IResult NotFound(Guid id) => Problems.NotFound("Document", id.ToString("D"));
}

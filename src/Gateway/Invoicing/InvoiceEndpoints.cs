using System.Security.Claims;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Crm;
using BacBos.Gateway.Http;
using BacBos.Platform.Hosting;

namespace BacBos.Gateway.Invoicing;

/// <summary>
/// Invoices and credit notes, read with a tenant's API key: one (with lines and tax breakdown), its PDF, and a paged
/// list; and a request to deliver what a document still lacks. Ids are looked up in the caller's own tenant storage only: another tenant's id is not found (404).
/// </summary>
public static class InvoiceEndpoints
{
    public static readonly ListSpec Invoices = new(
        "/api/v1/invoices",
        new Dictionary<string, string> { ["created_at"] = "created_at", ["number"] = "number", ["issue_date"] = "issue_date", ["total"] = "total_minor" },
        "-created_at",
        new Dictionary<string, ListFilter>
        {
            ["kind"] = ListFilter.OneOf("kind", [InvoiceKinds.Invoice, InvoiceKinds.CreditNote]),
            ["status"] = ListFilter.OneOf("status", [InvoiceKinds.Open, InvoiceKinds.Paid, InvoiceKinds.PartiallyPaid, InvoiceKinds.Refunded, InvoiceKinds.PartiallyRefunded, InvoiceKinds.Issued, InvoiceKinds.Void]),
            ["currency"] = ListFilter.Currency("currency"),
            ["contact_id"] = ListFilter.Uuid("contact_id"),
            ["opportunity_id"] = ListFilter.Uuid("opportunity_id"),
        });

    public static IEndpointRouteBuilder MapInvoiceEndpoints(this IEndpointRouteBuilder app)
    {
        var invoices = app.MapGroup("/api/v1/invoices")
            .RequireAuthorization(ApiKeyAuthenticationHandler.TenantRole)
            .WithTags("Invoicing")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        invoices.MapGet("/", List).WithName("ListInvoices").WithSummary("Invoices and credit notes, filtered by kind, status, currency, contact or opportunity; paged and sorted")
            .Produces<PageResponse<InvoiceResponse>>().ProducesValidationProblem();
        invoices.MapGet("/{id:guid}", Get).WithName("GetInvoice").WithSummary("One invoice or credit note with its lines, tax breakdown, payment and delivery")
            .Produces<InvoiceResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        invoices.MapGet("/{id:guid}/pdf", Pdf).WithName("GetInvoicePdf").WithSummary("The document's current PDF (application/pdf)")
            .Produces(StatusCodes.Status200OK, contentType: InvoiceDelivery.PdfContentType).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        invoices.MapPost("/{id:guid}/deliver", Deliver).WithName("DeliverInvoice")
            .WithSummary("Store and email what the document's current revision still lacks (after a delivery gave up, or an email the SMTP server rejected for good), or with resend_email send its email again; 202 with its delivery status; Idempotency-Key makes retries safe")
            .WithJsonBody<DeliverInvoiceRequest>().Produces<InvoiceDeliveryRequestResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static Task<IResult> List(HttpRequest request, ClaimsPrincipal user, InvoiceStore store, CrmOptions options, CancellationToken cancellationToken) =>
        CrmEndpoints.ListAsync(request, Invoices, options, async (query, sortSql) =>
            CrmHttp.Ok(await store.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken), page => CrmEndpoints.Page(request, Invoices, query, page, InvoiceResponse.From)));

    private static async Task<IResult> Get(Guid id, ClaimsPrincipal user, InvoiceStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken) is { } document
            ? TypedResults.Ok(InvoiceResponse.From(document))
            : Problems.NotFound("Invoice", id.ToString());

    private static async Task<IResult> Deliver(Guid id, HttpContext http, ClaimsPrincipal user, InvoiceStore store, CancellationToken cancellationToken)
    {
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        // The body is optional: none (or {}) delivers what is missing (a failed email included); {"resend_email": true} also sends the email again.
        var resend = false;
        if (http.Request.ContentLength is > 0 || (http.Request.ContentLength is null && http.Request.ContentType is not null))
        {
            var body = await JsonBody.ReadAsync<DeliverInvoiceRequest>(http.Request, CrmHttp.MaxBodyBytes, cancellationToken);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            resend = body.Value!.ResendEmail ?? false;
        }

        var result = await store.RequestDeliveryAsync(CrmHttp.Caller(user).TenantId, id, resend, key, cancellationToken);
        if (result.Value is not { } request)
        {
            return CrmHttp.Problem(result);
        }

        if (result.Status == CrmStatus.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        else if (request.Queued)
        {
            BacBosMetrics.InvoiceRedeliveriesQueued("api", 1);
        }

        return TypedResults.Accepted($"/api/v1/invoices/{id:D}", InvoiceDeliveryRequestResponse.From(request.Invoice, request.Queued));
    }

    private static async Task<IResult> Pdf(Guid id, ClaimsPrincipal user, InvoiceStore store, IInvoiceObjectStore objects, CancellationToken cancellationToken)
    {
        var tenantId = CrmHttp.Caller(user).TenantId;
        if (await store.FindAsync(tenantId, id, cancellationToken) is not { } document)
        {
            return Problems.NotFound("Invoice", id.ToString());
        }

        var row = document.Invoice;
        var pdf = row.PdfKey is { } key ? await objects.GetAsync(tenantId, key, cancellationToken) : null;
        return pdf is null
            ? Problems.Create(StatusCodes.Status409Conflict, "pdf-not-ready", "The PDF is not stored yet", $"{row.Number} is being rendered; try again shortly.")
            : TypedResults.File(pdf, InvoiceDelivery.PdfContentType, $"{row.Number}.pdf");
    }
}

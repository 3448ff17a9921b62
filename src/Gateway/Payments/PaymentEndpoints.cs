using System.Security.Claims;
using System.Text.Json.Nodes;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Storage;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Gateway.Crm;
using BacBos.Gateway.Http;

namespace BacBos.Gateway.Payments;

/// <summary>
/// The payments API (tenant key): create (one saga per request; Idempotency-Key makes retries safe), read, list, refund.
/// And the provider webhooks (no API key: the signature is the credential), answered at once after the event is
/// recorded; the payment saga does the rest on the bus.
/// </summary>
public static class PaymentEndpoints
{
    public const long MaxWebhookBytes = 256 * 1024;

    public static readonly ListSpec Payments = new(
        "/api/v1/payments",
        new Dictionary<string, string> { ["created_at"] = "created_at", ["updated_at"] = "updated_at", ["amount"] = "amount_minor" },
        "-created_at",
        new Dictionary<string, ListFilter>
        {
            ["status"] = ListFilter.OneOf("status", PaymentStatus.All),
            ["gateway"] = ListFilter.OneOf("gateway", PaymentGateways.All),
            ["currency"] = ListFilter.Currency("currency"),
            ["invoice_id"] = ListFilter.Uuid("invoice_id"),
            ["opportunity_id"] = ListFilter.Uuid("opportunity_id"),
            ["contact_id"] = ListFilter.Uuid("contact_id"),
        });

    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/payments").WithTags("Payments").TenantApi();
        api.MapPost("/", CreatePayment).WithName("CreatePayment")
            .WithSummary("Start a payment through Stripe or Paystack (auto: by currency and tenant preference); 201 with client_secret / next_action or authorization_url once the gateway answered, else 202")
            .WithJsonBody<CreatePaymentRequest>().Produces<PaymentResponse>(StatusCodes.Status201Created).Produces<PaymentResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/", ListPayments).WithName("ListPayments").WithSummary("Payments, filtered by status, gateway, currency, invoice, opportunity or contact; paged and sorted")
            .Produces<PageResponse<PaymentResponse>>().ProducesValidationProblem();
        api.MapGet("/{id:guid}", GetPayment).WithName("GetPayment").WithSummary("One payment with its refunds").Produces<PaymentResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/refunds", CreateRefund).WithName("RefundPayment")
            .WithSummary("Refund a succeeded payment in full (no amount) or in part (amount ≤ what is still refundable); 202, carried out at the gateway")
            .WithJsonBody<CreateRefundRequest>().Produces<RefundResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        // Where Paystack sends the customer's browser after checkout (the callback_url of every initialize). The payment id
        // is the transaction reference; the status shown is the platform's, which the webhook (or verification) settles.
        app.MapGet("/api/v1/payments/paystack/callback/{tenantId:guid}", PaystackCallback).AllowAnonymous().WithTags("Payment webhooks").WithName("PaystackCallback")
            .WithSummary("The customer's return from Paystack checkout: the payment's status by its reference").Produces<PaystackCallbackResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var hooks = app.MapGroup("/api/v1/webhooks").WithTags("Payment webhooks").AllowAnonymous();
        hooks.MapPost("/stripe/{tenantId:guid}", StripeWebhook).WithName("StripeWebhook")
            .WithSummary("Stripe events for one tenant (Stripe-Signature: t/v1 HMAC-SHA256, 300 s tolerance)").Produces<WebhookAckResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        hooks.MapPost("/paystack/{tenantId:guid}", (Guid tenantId, HttpRequest request, PaymentWebhookReceiver receiver, CancellationToken ct) => PaystackWebhook(tenantId, request, receiver, ct))
            .WithName("PaystackTenantWebhook").WithSummary("Paystack events of a tenant's own integration (x-paystack-signature: HMAC-SHA512)").Produces<WebhookAckResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        hooks.MapPost("/paystack", (HttpRequest request, PaymentWebhookReceiver receiver, CancellationToken ct) => PaystackWebhook(null, request, receiver, ct))
            .WithName("PaystackWebhook").WithSummary("Paystack events of the platform integration, routed by metadata.tenant_id").Produces<WebhookAckResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CreatePayment(HttpContext http, ClaimsPrincipal user, PaymentService payments, PaymentsOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        var body = await JsonBody.ReadAsync<CreatePaymentRequest>(http.Request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (draft, errors, precision) = PaymentValidation.Payment(body.Value!);
        if (precision is not null)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "amount-precision", "The amount has more decimals than its currency", precision.Message, new Dictionary<string, object?> { ["field"] = precision.Field });
        }

        if (draft is null)
        {
            return CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await payments.CreateAsync(tenantId, draft, actor, key, cancellationToken);
        if (result.Value is not { } created)
        {
            return CrmHttp.Problem(result);
        }

        // The saga asks the gateway; wait briefly for its answer (client secret, checkout URL) so most clients need one call.
        var id = created.Payment.Id;
        var deadline = time.GetUtcNow() + options.ResponseWait;
        var view = created;
        while (view.Payment.Status == PaymentStatus.Pending && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            view = (await payments.GetAsync(tenantId, id, cancellationToken)).Value ?? view;
        }

        if (result.Status == CrmStatus.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        var location = $"/api/v1/payments/{id:D}";
        return view.Payment.Status == PaymentStatus.Pending
            ? TypedResults.Accepted(location, PaymentResponse.From(view))
            : TypedResults.Created(location, PaymentResponse.From(view));
    }

    private static async Task<IResult> ListPayments(HttpRequest request, ClaimsPrincipal user, PaymentService payments, CrmOptions options, CancellationToken cancellationToken)
    {
        var (query, sortSql, errors) = ListParameters.Parse(request, Payments, options);
        if (query is null)
        {
            return CrmHttp.Validation(errors);
        }

        var result = await payments.ListAsync(CrmHttp.Caller(user).TenantId, query, sortSql, cancellationToken);
        return CrmHttp.Ok(result, page => new PageResponse<PaymentResponse>(
            page.Items.Select(PaymentResponse.From).ToList(), query.Page, query.PageSize, page.Total, ListParameters.Next(request, Payments, query, page.Items.Count, page.Total)));
    }

    private static async Task<IResult> GetPayment(Guid id, ClaimsPrincipal user, PaymentService payments, CancellationToken cancellationToken) =>
        CrmHttp.Ok(await payments.GetAsync(CrmHttp.Caller(user).TenantId, id, cancellationToken), PaymentResponse.From);

    private static async Task<IResult> CreateRefund(Guid id, HttpContext http, ClaimsPrincipal user, PaymentService payments, CancellationToken cancellationToken)
    {
        var (key, keyProblem) = CrmHttp.IdempotencyKey(http.Request);
        if (keyProblem is not null)
        {
            return keyProblem;
        }

        var body = await JsonBody.ReadAsync<CreateRefundRequest>(http.Request, CrmHttp.MaxBodyBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var (draft, errors) = PaymentValidation.Refund(body.Value!);
        if (draft is null)
        {
            return CrmHttp.Validation(errors);
        }

        var (tenantId, actor) = CrmHttp.Caller(user);
        var result = await payments.RefundAsync(tenantId, id, draft, actor, key, cancellationToken);
        if (result.Value is not { } refund)
        {
            return CrmHttp.Problem(result);
        }

        if (result.Status == CrmStatus.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Accepted($"/api/v1/payments/{id:D}", RefundResponse.From(refund));
    }

    private static async Task<IResult> PaystackCallback(Guid tenantId, HttpRequest request, PaymentService payments, CancellationToken cancellationToken)
    {
        var reference = request.Query["reference"].ToString();
        if (!Guid.TryParse(reference, out var paymentId))
        {
            return Problems.NotFound("Payment", reference);
        }

        var found = await payments.GetAsync(tenantId, paymentId, cancellationToken);
        return found.Value is { Payment: { Gateway: PaymentGateways.Paystack } payment }
            ? TypedResults.Ok(new PaystackCallbackResponse(payment.Id, payment.Status, payment.Status == PaymentStatus.Succeeded ? "Payment confirmed." : "Payment received; confirmation is pending."))
            : Problems.NotFound("Payment", reference);
    }

    private static async Task<IResult> StripeWebhook(Guid tenantId, HttpRequest request, PaymentWebhookReceiver receiver, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<JsonObject>(request, MaxWebhookBytes, cancellationToken);
        return body.Problem ?? Answer(await receiver.StripeAsync(tenantId, request.Headers["Stripe-Signature"].ToString(), body.Raw, cancellationToken));
    }

    private static async Task<IResult> PaystackWebhook(Guid? tenantId, HttpRequest request, PaymentWebhookReceiver receiver, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<JsonObject>(request, MaxWebhookBytes, cancellationToken);
        return body.Problem ?? Answer(await receiver.PaystackAsync(tenantId, request.Headers["x-paystack-signature"].ToString(), body.Raw, cancellationToken));
    }

    private static IResult Answer(WebhookResult result) =>
        result.Disposition switch
        {
            WebhookDisposition.Accepted or WebhookDisposition.Duplicate or WebhookDisposition.Ignored =>
                TypedResults.Ok(new WebhookAckResponse(true, result.Disposition.ToString().ToLowerInvariant(), result.EventId, result.Detail)),
            WebhookDisposition.UnknownTenant => Problems.Create(StatusCodes.Status404NotFound, "webhook-not-configured", "No webhook is set up here", result.Detail),
            WebhookDisposition.SignatureMissing => Problems.Create(StatusCodes.Status400BadRequest, "webhook-signature-missing", "The webhook signature is missing", result.Detail),
            WebhookDisposition.Stale => Problems.Create(StatusCodes.Status400BadRequest, "webhook-timestamp-stale", "The webhook signature is too old or too new", result.Detail),
            WebhookDisposition.Malformed => Problems.Create(StatusCodes.Status400BadRequest, "webhook-malformed", "The webhook body is not an event", result.Detail),
            _ => Problems.Create(StatusCodes.Status400BadRequest, "webhook-signature-invalid", "The webhook signature does not match", result.Detail),
        };
}

using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Consumers;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Gateways;
using BacBos.Consumers.Payments.Storage;
using BacBos.Contracts.Payments;
using BacBos.Platform.Data;
using BacBos.Platform.Outbox;
using BacBos.Platform.Tenancy;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Payments.Webhooks;

/// <summary>How a webhook delivery ended, for the HTTP answer.</summary>
public enum WebhookDisposition
{
    /// <summary>Verified, new and handed to the bus (200).</summary>
    Accepted,

    /// <summary>Verified but already received (200, nothing happens again).</summary>
    Duplicate,

    /// <summary>Verified but not for a BacBos payment of this tenant, or a type payments do not act on (200, so the provider stops retrying).</summary>
    Ignored,

    /// <summary>No such tenant, or no secret to verify its events with (404).</summary>
    UnknownTenant,

    /// <summary>The signature header is absent (400).</summary>
    SignatureMissing,

    /// <summary>No signature matches (400).</summary>
    SignatureInvalid,

    /// <summary>The signature matches but its timestamp is outside the tolerance: a replay (400).</summary>
    Stale,

    /// <summary>Signed, but not an event body (400).</summary>
    Malformed,
}

public sealed record WebhookResult(WebhookDisposition Disposition, string Detail, string? EventId = null);

/// <summary>
/// Receives provider webhooks: verifies the signature on the raw body with the tenant's secret, reads the event, and —
/// in one platform transaction — records the provider's event id (a repeat is a duplicate) and puts the outcome on the
/// bus outbox for the payment saga. The HTTP answer goes back at once; the saga does the rest.
/// </summary>
public sealed class PaymentWebhookReceiver(
    Database database,
    BusOutbox outbox,
    TenantDatabases tenants,
    PaymentGatewayKeys keys,
    TimeProvider time,
    CrmStorage storage,
    ILogger<PaymentWebhookReceiver> logger)
{
    public async Task<WebhookResult> StripeAsync(Guid tenantId, string? signature, byte[] body, CancellationToken cancellationToken)
    {
        var secret = await tenants.ExistsAsync(tenantId, cancellationToken) ? await keys.StripeWebhookSecretAsync(tenantId, cancellationToken) : null;
        if (secret is null)
        {
            return new(WebhookDisposition.UnknownTenant, $"No Stripe webhook is set up for tenant '{tenantId:D}'.");
        }

        var check = WebhookSignatures.Stripe(signature, body, secret, time.GetUtcNow(), WebhookSignatures.StripeTolerance);
        return check != SignatureCheck.Valid
            ? Refused(check, "Stripe-Signature")
            : await AcceptAsync(PaymentGateways.Stripe, tenantId, WebhookEvents.Stripe(body), cancellationToken);
    }

    /// <summary>
    /// Paystack: with <paramref name="tenantId"/>, the tenant's own integration (its key, else the platform's); without,
    /// the platform integration's one webhook, routed by the transaction's <c>metadata.tenant_id</c>.
    /// </summary>
    public async Task<WebhookResult> PaystackAsync(Guid? tenantId, string? signature, byte[] body, CancellationToken cancellationToken)
    {
        var key = tenantId is { } id
            ? await tenants.ExistsAsync(id, cancellationToken) ? await keys.PaystackOrNullAsync(id, cancellationToken) : null
            : keys.PlatformPaystack;
        if (key is null)
        {
            return new(WebhookDisposition.UnknownTenant, tenantId is { } t ? $"No Paystack integration is set up for tenant '{t:D}'." : "Paystack is not configured on this platform.");
        }

        var check = WebhookSignatures.Paystack(signature, body, key);
        if (check != SignatureCheck.Valid)
        {
            return Refused(check, "x-paystack-signature");
        }

        var parsed = WebhookEvents.Paystack(body);
        return await AcceptAsync(PaymentGateways.Paystack, tenantId ?? parsed?.TenantId, parsed, cancellationToken);
    }

    private static WebhookResult Refused(SignatureCheck check, string header) =>
        check switch
        {
            SignatureCheck.Missing => new(WebhookDisposition.SignatureMissing, $"The {header} header is missing."),
            SignatureCheck.Stale => new(WebhookDisposition.Stale, $"The {header} timestamp is more than {WebhookSignatures.StripeTolerance.TotalSeconds:0} s away from now (a replayed delivery?)."),
            _ => new(WebhookDisposition.SignatureInvalid, $"The {header} header does not match the body."),
        };

    private async Task<WebhookResult> AcceptAsync(string gateway, Guid? tenantId, WebhookEvent? e, CancellationToken cancellationToken)
    {
        if (e is null)
        {
            return new(WebhookDisposition.Malformed, "The body is not an event.");
        }

        if (e.Dispute is { } dispute)
        {
            return await DisputeAsync(gateway, tenantId, e, dispute, cancellationToken);
        }

        if (e.FailedRefund is { } failedRefund)
        {
            return await RefundFailedAsync(gateway, tenantId, e, failedRefund, cancellationToken);
        }

        if (tenantId is not { } tenant || e.TenantId != tenant || e.PaymentId is not { } paymentId)
        {
            // Every endpoint on a shared account receives every event: another tenant's payment is not ours to act on.
            return new(WebhookDisposition.Ignored, "Not a payment of this tenant.", e.EventId);
        }

        if (e.Outcome is null)
        {
            return new(WebhookDisposition.Ignored, $"'{e.Type}' needs no action.", e.EventId);
        }

        return await RecordAndPublishAsync(
            gateway, tenant, paymentId, e, "webhook", now => new PaymentGatewayOutcome(paymentId, tenant, gateway, e.Outcome, e.GatewayReference, e.Reason, "webhook", e.EventId, now), cancellationToken);
    }

    /// <summary>
    /// A refund reported failed after the fact: the tenant is the route's (a refund's metadata may not name it, and
    /// Paystack refunds carry none) unless the metadata names another tenant; <see cref="ReverseRefund"/> goes on the outbox
    /// with the event id recorded, and the refund consumer finds the refund in the tenant's own tables (or ignores it).
    /// </summary>
    private async Task<WebhookResult> RefundFailedAsync(string gateway, Guid? tenantId, WebhookEvent e, FailedRefund refund, CancellationToken cancellationToken)
    {
        if (tenantId is not { } tenant || (e.TenantId is { } named && named != tenant) || e.PaymentId is not { } paymentId)
        {
            return new(WebhookDisposition.Ignored, "Not a refund of a payment of this tenant.", e.EventId);
        }

        return await RecordAndPublishAsync(
            gateway,
            tenant,
            paymentId,
            e,
            "refund-failed",
            now => new ReverseRefund(tenant, paymentId, refund.RefundId, refund.GatewayReference, gateway, e.Reason ?? "the refund failed", e.EventId, now, refund.AmountMinor),
            cancellationToken);
    }

    /// <summary>
    /// A dispute of a payment: the payment is the route tenant's one the gateway knows by the dispute's PaymentIntent
    /// (a Stripe dispute carries none of our metadata), or by our id (a Paystack transaction reference); another tenant's
    /// or an unknown payment is ignored.
    /// <see cref="RecordPaymentDispute"/> goes on the outbox with the event id recorded; the dispute projection orders the changes.
    /// </summary>
    private async Task<WebhookResult> DisputeAsync(string gateway, Guid? tenantId, WebhookEvent e, DisputeReport dispute, CancellationToken cancellationToken)
    {
        var found = tenantId is { } id
            ? await storage.ReadAsync(
                id,
                async s => CrmResult<PaymentRow?>.Ok(
                    e.PaymentId is { } paymentId
                        ? await PaymentWriter.FindAsync(s, paymentId, false, cancellationToken)
                        : await DisputeWriter.FindPaymentByReferenceAsync(s, gateway, dispute.GatewayReference, cancellationToken)),
                cancellationToken)
            : null;
        if (tenantId is not { } tenant || found?.Value is not { } payment)
        {
            return new(WebhookDisposition.Ignored, "Not a payment of this tenant.", e.EventId);
        }

        return await RecordAndPublishAsync(
            gateway,
            tenant,
            payment.Id,
            e,
            "dispute",
            now => new RecordPaymentDispute(
                tenant, payment.Id, gateway, dispute.DisputeId, dispute.AmountMinor, dispute.Currency, dispute.Reason, dispute.Status, dispute.EvidenceDueBy,
                dispute.DisputedAt, dispute.FundsWithdrawn, dispute.FundsReinstated, e.EventId, dispute.EventAt ?? now),
            cancellationToken);
    }

    /// <summary>
    /// In one platform transaction: records the provider's event id (a repeat is a duplicate and publishes nothing) and
    /// puts the message for the bus on the outbox, its message id derived from the event.
    /// </summary>
    private async Task<WebhookResult> RecordAndPublishAsync<T>(
        string gateway, Guid tenant, Guid paymentId, WebhookEvent e, string kind, Func<DateTimeOffset, T> message, CancellationToken cancellationToken)
        where T : class
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var inserted = await session.ExecuteAsync(
            "INSERT INTO payment_webhook_events (provider, event_id, tenant_id, payment_id, event_type, received_at) VALUES (@p, @e, @t, @pay, @type, @now) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("p", gateway),
            ("e", e.EventId),
            ("t", database.Id(tenant)),
            ("pay", database.Id(paymentId)),
            ("type", e.Type),
            ("now", database.Time(now)));
        if (inserted == 0)
        {
            return new(WebhookDisposition.Duplicate, "Already received.", e.EventId);
        }

        await outbox.PublishAsync(session, message(now), PaymentMessageIds.For(kind, paymentId, $"{gateway}:{e.EventId}"), paymentId, cancellationToken);
        await session.CommitAsync(cancellationToken);
        outbox.Signal();
        logger.LogInformation("{Gateway} event {EventId} ({Type}) for payment {PaymentId} of tenant {TenantId} accepted as {Kind}", gateway, e.EventId, e.Type, paymentId, tenant, kind);
        return new(WebhookDisposition.Accepted, "Accepted.", e.EventId);
    }
}

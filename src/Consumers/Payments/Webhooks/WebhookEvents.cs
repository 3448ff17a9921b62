using System.Text.Json;
using BacBos.Consumers.Payments.Storage;

namespace BacBos.Consumers.Payments.Webhooks;

/// <summary>A provider event read after its signature was verified.</summary>
/// <param name="EventId">The provider's event id (Paystack has none: <c>{event}:{data.id}</c> stands in).</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c>, <c>pending</c>, or null for an event payments do not act on.</param>
/// <param name="FailedRefund">Set when the event reports that a refund of the payment failed after the fact.</param>
public sealed record WebhookEvent(
    string EventId,
    string Type,
    Guid? TenantId,
    Guid? PaymentId,
    string? Outcome,
    string? GatewayReference,
    string? Reason,
    FailedRefund? FailedRefund = null,
    DisputeReport? Dispute = null);

/// <summary>
/// A refund the gateway reports failed: our refund id when its metadata carries it, the gateway's refund id when the
/// event names it, and the refunded amount in minor units (Paystack's refund events name neither id).
/// </summary>
public sealed record FailedRefund(Guid? RefundId, string? GatewayReference, long? AmountMinor = null);

/// <summary>
/// A dispute as the provider's event describes it: the payment is found by <see cref="GatewayReference"/> (Stripe's
/// PaymentIntent id) in the route tenant's tables; <see cref="EventAt"/> (the event's <c>created</c>) orders the changes.
/// </summary>
public sealed record DisputeReport(
    string DisputeId,
    string GatewayReference,
    long AmountMinor,
    string Currency,
    string? Reason,
    string Status,
    DateTimeOffset? EvidenceDueBy,
    DateTimeOffset? DisputedAt,
    DateTimeOffset? EventAt,
    bool FundsWithdrawn,
    bool FundsReinstated);

/// <summary>Reads the fields payments act on from Stripe and Paystack event bodies; null when the body is not such an event.</summary>
public static class WebhookEvents
{
    /// <summary>Stripe: <c>{"id":"evt_…","type":"payment_intent.succeeded","data":{"object":{"id":"pi_…","metadata":{…}}}}</c>.</summary>
    public static WebhookEvent? Stripe(byte[] body)
    {
        using var json = Parse(body);
        if (json is null || !Text(json.RootElement, "id", out var id) || !Text(json.RootElement, "type", out var type))
        {
            return null;
        }

        var obj = json.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        var objectKind = obj.ValueKind == JsonValueKind.Object && Text(obj, "object", out var k) ? k : null;
        if (objectKind == "refund")
        {
            return StripeRefund(id, type, obj);
        }

        if (objectKind == "dispute")
        {
            return new WebhookEvent(id, type, null, null, null, null, null, Dispute: StripeDispute(type, obj, UnixTime(json.RootElement, "created")));
        }

        var isIntent = obj.ValueKind == JsonValueKind.Object && Text(obj, "object", out var kind) && kind == "payment_intent";
        var (tenant, payment) = isIntent ? Metadata(obj) : (null, null);
        var reference = isIntent && Text(obj, "id", out var pi) ? pi : null;
        var lastError = isIntent && obj.TryGetProperty("last_payment_error", out var error) && error.ValueKind == JsonValueKind.Object && Text(error, "message", out var message) ? message : null;
        var outcome = !isIntent ? null : type switch
        {
            "payment_intent.succeeded" => PaymentStatus.Succeeded,
            "payment_intent.payment_failed" => PaymentStatus.Failed,
            "payment_intent.canceled" => PaymentStatus.Failed,
            "payment_intent.requires_action" or "payment_intent.processing" => "pending",
            _ => null,
        };
        var reason = type switch
        {
            "payment_intent.payment_failed" => lastError ?? "the payment attempt failed",
            "payment_intent.canceled" => "canceled at Stripe",
            _ => null,
        };
        return new WebhookEvent(id, type, tenant, payment, outcome, reference, reason);
    }

    /// <summary>
    /// A Stripe Dispute object (<c>charge.dispute.*</c>): <c>{"id":"dp_…","object":"dispute","amount":1000,"currency":"usd",
    /// "payment_intent":"pi_…","reason":"fraudulent","status":"needs_response","evidence_details":{"due_by":…},"created":…}</c>.
    /// Null (nothing to act on) for another event type, a status Stripe does not document, or no PaymentIntent.
    /// </summary>
    private static DisputeReport? StripeDispute(string type, JsonElement dispute, DateTimeOffset? eventAt)
    {
        if (!type.StartsWith("charge.dispute.", StringComparison.Ordinal)
            || !Text(dispute, "id", out var id)
            || !Text(dispute, "payment_intent", out var intent)
            || !Text(dispute, "status", out var status)
            || !Domain.DisputeStatus.All.Contains(status)
            || !Text(dispute, "currency", out var currency)
            || !dispute.TryGetProperty("amount", out var amount)
            || !amount.TryGetInt64(out var amountMinor)
            || amountMinor < 0)
        {
            return null;
        }

        var due = dispute.TryGetProperty("evidence_details", out var evidence) && evidence.ValueKind == JsonValueKind.Object ? UnixTime(evidence, "due_by") : null;
        return new DisputeReport(
            id,
            intent,
            amountMinor,
            currency.ToUpperInvariant(),
            Text(dispute, "reason", out var reason) ? reason : null,
            status,
            due,
            UnixTime(dispute, "created"),
            eventAt,
            type == "charge.dispute.funds_withdrawn",
            type == "charge.dispute.funds_reinstated");
    }

    /// <summary>A Unix time in seconds, as Stripe sends times; null when absent or not a number.</summary>
    private static DateTimeOffset? UnixTime(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is > 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>
    /// A Stripe Refund object (<c>refund.failed</c>, <c>refund.updated</c>, <c>charge.refund.updated</c>): a failure when its
    /// status is <c>failed</c>; any other refund event needs no action. Our ids come from the refund's metadata.
    /// </summary>
    private static WebhookEvent StripeRefund(string id, string type, JsonElement refund)
    {
        var (tenant, payment) = Metadata(refund);
        var failed = Text(refund, "status", out var status) && status == RefundStatus.Failed;
        var gatewayId = Text(refund, "id", out var re) ? re : null;
        var ours = refund.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && Text(metadata, "refund_id", out var r) && Guid.TryParse(r, out var refundId)
            ? refundId
            : (Guid?)null;
        var reason = Text(refund, "failure_reason", out var why) ? $"Stripe refund failed: {why}" : "Stripe refund failed";
        return new WebhookEvent(id, type, tenant, payment, null, gatewayId, failed ? reason : null, failed ? new FailedRefund(ours, gatewayId) : null);
    }

    /// <summary>
    /// Paystack <c>refund.failed</c>: <c>{"event":"refund.failed","data":{"status":"failed","transaction_reference":"…",
    /// "refund_reference":"TRF_…","amount":20000,"currency":"NGN",…}}</c> (the amount in subunits, sometimes as a string).
    /// The transaction reference is our payment id; the refund carries no metadata, so the tenant comes from the route.
    /// The documented body names no Paystack refund id (<c>refund_reference</c> is the processor's), so the refund is
    /// found by its id only if one is there, else by payment and amount; the event id stands in from those fields.
    /// </summary>
    private static WebhookEvent? PaystackRefund(string type, JsonElement data)
    {
        if (!Text(data, "transaction_reference", out var transaction))
        {
            return null;
        }

        var refundId = data.TryGetProperty("id", out var idValue) && idValue.ValueKind is JsonValueKind.Number or JsonValueKind.String ? idValue.ToString() : null;
        var amount = Subunits(data);
        var key = refundId ?? $"{transaction}:{(Text(data, "refund_reference", out var rr) ? rr : "-")}:{amount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
        var failed = type == "refund.failed";
        return new WebhookEvent(
            $"{type}:{key}",
            type,
            null,
            Guid.TryParse(transaction, out var payment) ? payment : null,
            null,
            refundId,
            failed ? "Paystack refund failed" : null,
            failed ? new FailedRefund(null, refundId, amount) : null);
    }

    /// <summary>
    /// Paystack <c>charge.dispute.create</c> / <c>.remind</c> / <c>.resolve</c>: <c>{"event":"charge.dispute.create","data":{"id":358950,
    /// "refund_amount":…,"currency":"NGN","status":"awaiting-merchant-feedback","resolution":null,"category":"chargeback",
    /// "transaction":{"reference":"…","amount":…,"metadata":{…}},"dueAt":"…","resolvedAt":null,"createdAt":"…","updatedAt":"…"}}</c>.
    /// The transaction reference is our payment id. Statuses map onto Stripe's: awaiting merchant feedback → needs_response,
    /// awaiting bank feedback or pending → under_review, resolved → won when Paystack declined the claim, else lost. The
    /// amount is the transaction's (subunits), else <c>refund_amount</c>. Paystack events carry no time of their own: the
    /// dispute's <c>resolvedAt</c>, <c>updatedAt</c> or <c>createdAt</c> orders them and is part of the event id, so a
    /// reminder with a new state is not taken for a repeat.
    /// </summary>
    private static WebhookEvent? PaystackDispute(string type, JsonElement data)
    {
        var transaction = data.TryGetProperty("transaction", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        var status = Text(data, "status", out var s) ? s : null;
        var resolved = type == "charge.dispute.resolve" || status == "resolved";
        var mapped = resolved
            ? Text(data, "resolution", out var resolution) && resolution == "declined" ? Domain.DisputeStatus.Won : Domain.DisputeStatus.Lost
            : status switch
            {
                "awaiting-merchant-feedback" => Domain.DisputeStatus.NeedsResponse,
                "awaiting-bank-feedback" or "pending" => Domain.DisputeStatus.UnderReview,
                _ => null,
            };
        var disputeId = data.TryGetProperty("id", out var idValue) && idValue.ValueKind is JsonValueKind.Number or JsonValueKind.String ? idValue.ToString() : null;
        var amount = (transaction.ValueKind == JsonValueKind.Object ? Subunits(transaction) : null) ?? Subunits(data, "refund_amount");
        var eventAt = IsoTime(data, resolved ? "resolvedAt" : "updatedAt") ?? IsoTime(data, "updatedAt") ?? IsoTime(data, "createdAt");
        if (mapped is null || string.IsNullOrEmpty(disputeId) || amount is null || !Text(data, "currency", out var currency)
            || transaction.ValueKind != JsonValueKind.Object || !Text(transaction, "reference", out var reference))
        {
            return null;
        }

        var (tenant, _) = Metadata(transaction);
        var stamp = eventAt?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
        var dispute = new DisputeReport(
            disputeId, reference, amount.Value, currency.ToUpperInvariant(), Text(data, "category", out var category) ? category : null, mapped,
            IsoTime(data, "dueAt"), IsoTime(data, "createdAt"), eventAt, false, false);
        return new WebhookEvent($"{type}:{disputeId}:{stamp}", type, tenant, Guid.TryParse(reference, out var payment) ? payment : null, null, reference, null, Dispute: dispute);
    }

    /// <summary>An ISO 8601 time, as Paystack sends times; null when absent or not one.</summary>
    private static DateTimeOffset? IsoTime(JsonElement element, string name) =>
        Text(element, name, out var text)
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : null;

    /// <summary>Paystack's <c>amount</c>: a number or a string of digits, in the currency's subunits.</summary>
    private static long? Subunits(JsonElement data, string name = "amount")
    {
        if (!data.TryGetProperty(name, out var amount))
        {
            return null;
        }

        return amount.ValueKind switch
        {
            JsonValueKind.Number when amount.TryGetInt64(out var number) && number > 0 => number,
            JsonValueKind.String when long.TryParse(amount.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var text) && text > 0 => text,
            _ => null,
        };
    }

    /// <summary>Paystack: <c>{"event":"charge.success","data":{"id":123,"reference":"…","metadata":{…}}}</c>.</summary>
    public static WebhookEvent? Paystack(byte[] body)
    {
        using var json = Parse(body);
        if (json is null || !Text(json.RootElement, "event", out var type) || !json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (type.StartsWith("refund.", StringComparison.Ordinal))
        {
            return PaystackRefund(type, data);
        }

        if (type.StartsWith("charge.dispute.", StringComparison.Ordinal))
        {
            return PaystackDispute(type, data);
        }

        var dataId = data.TryGetProperty("id", out var idValue) ? idValue.ToString() : null;
        if (string.IsNullOrEmpty(dataId))
        {
            return null;
        }

        var (tenant, payment) = Metadata(data);
        var reference = Text(data, "reference", out var r) ? r : null;
        var outcome = type switch
        {
            "charge.success" => PaymentStatus.Succeeded,
            "charge.failed" => PaymentStatus.Failed,
            _ => null,
        };
        var reason = outcome == PaymentStatus.Failed ? (Text(data, "gateway_response", out var g) ? g : "the charge failed") : null;
        return new WebhookEvent($"{type}:{dataId}", type, tenant, payment, outcome, reference, reason);
    }

    private static JsonDocument? Parse(byte[] body)
    {
        try
        {
            var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                return json;
            }

            json.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Our ids in <c>metadata</c>; Paystack sometimes sends metadata as a JSON string.</summary>
    private static (Guid? Tenant, Guid? Payment) Metadata(JsonElement obj)
    {
        if (!obj.TryGetProperty("metadata", out var metadata))
        {
            return (null, null);
        }

        if (metadata.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(metadata.GetString()!);
                return Ids(inner.RootElement);
            }
            catch (JsonException)
            {
                return (null, null);
            }
        }

        return Ids(metadata);
    }

    private static (Guid? Tenant, Guid? Payment) Ids(JsonElement metadata) =>
        metadata.ValueKind != JsonValueKind.Object
            ? (null, null)
            : (Text(metadata, "tenant_id", out var t) && Guid.TryParse(t, out var tenant) ? tenant : null,
                Text(metadata, "payment_id", out var p) && Guid.TryParse(p, out var payment) ? payment : null);

    private static bool Text(JsonElement element, string name, out string value)
    {
        value = string.Empty;
        if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.GetString() is { Length: > 0 } text)
        {
            value = text;
            return true;
        }

        return false;
    }
}

using System.Text.Json;
using BacBos.Consumers.Payments.Storage;

namespace BacBos.Consumers.Payments.Webhooks;

/// <summary>A provider event read after its signature was verified.</summary>
/// <param name="EventId">The provider's event id (Paystack has none: <c>{event}:{data.id}</c> stands in).</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c>, <c>pending</c>, or null for an event payments do not act on.</param>
public sealed record WebhookEvent(
    string EventId,
    string Type,
    Guid? TenantId,
    Guid? PaymentId,
    string? Outcome,
    string? GatewayReference,
    string? Reason);

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

    /// <summary>Paystack: <c>{"event":"charge.success","data":{"id":123,"reference":"…","metadata":{…}}}</c>.</summary>
    public static WebhookEvent? Paystack(byte[] body)
    {
        using var json = Parse(body);
        if (json is null || !Text(json.RootElement, "event", out var type) || !json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return null;
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

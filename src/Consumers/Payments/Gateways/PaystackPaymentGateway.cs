using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Storage;

namespace BacBos.Consumers.Payments.Gateways;

/// <summary>
/// Paystack through its REST API with <c>Authorization: Bearer sk_…</c>: <c>POST /transaction/initialize</c> (amount in
/// the currency's subunits, our payment id as the unique <c>reference</c>, tenant and payment ids in <c>metadata</c>,
/// the tenant's <c>callback_url</c>) → <c>authorization_url</c> and <c>access_code</c>; <c>GET /transaction/verify/{reference}</c>;
/// <c>POST /refund</c>. Paystack has no idempotency keys: the unique reference makes a repeated initialize fail with
/// "Duplicate Transaction Reference", which is read as "already created".
/// </summary>
public sealed class PaystackPaymentGateway(PaymentGatewayKeys keys, TenantWebhookUrls urls, IHttpClientFactory httpClients) : IPaymentGatewayDriver
{
    public const string HttpClientName = "paystack-payments";

    public string Name => PaymentGateways.Paystack;

    public async Task<GatewayIntent> CreateAsync(Guid tenantId, PaymentRow payment, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["email"] = payment.CustomerEmail,
            ["amount"] = payment.AmountMinor,
            ["currency"] = payment.Currency,
            ["reference"] = Reference(payment.Id),
            ["callback_url"] = urls.PaystackCallback(tenantId),
            ["metadata"] = new JsonObject { ["tenant_id"] = tenantId.ToString("D"), ["payment_id"] = payment.Id.ToString("D") },
        };
        if (payment.PaymentMethod is { } channel)
        {
            body["channels"] = new JsonArray(channel);
        }

        var (status, data, message) = await SendAsync(tenantId, HttpMethod.Post, "transaction/initialize", body, cancellationToken);
        if (status == HttpStatusCode.BadRequest && message?.Contains("Duplicate Transaction Reference", StringComparison.OrdinalIgnoreCase) == true)
        {
            return new GatewayIntent(PaymentStatus.AwaitingPayment, Reference(payment.Id));
        }

        Ensure(status, data, message, "initialize");
        return new GatewayIntent(
            PaymentStatus.AwaitingPayment,
            data!["reference"]?.GetValue<string>() ?? Reference(payment.Id),
            AuthorizationUrl: data["authorization_url"]?.GetValue<string>(),
            AccessCode: data["access_code"]?.GetValue<string>());
    }

    public async Task<(string Outcome, string? Reason)> VerifyAsync(Guid tenantId, string reference, CancellationToken cancellationToken)
    {
        var (status, data, message) = await SendAsync(tenantId, HttpMethod.Get, $"transaction/verify/{Uri.EscapeDataString(reference)}", null, cancellationToken);
        Ensure(status, data, message, "verify");
        var state = data!["status"]?.GetValue<string>() ?? "unknown";
        return state switch
        {
            "success" => ("succeeded", null),
            "failed" or "reversed" => ("failed", $"Paystack transaction {state}: {data["gateway_response"]?.GetValue<string>() ?? "no reason given"}"),
            _ => ("pending", $"Paystack transaction {state}"),
        };
    }

    public async Task<string> RefundAsync(Guid tenantId, PaymentRow payment, RefundRow refund, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["transaction"] = payment.GatewayReference,
            ["amount"] = refund.AmountMinor,
            ["merchant_note"] = $"bacbos refund {refund.Id:D}{(refund.Reason is { } r ? $": {r}" : string.Empty)}",
        };
        var (status, data, message) = await SendAsync(tenantId, HttpMethod.Post, "refund", body, cancellationToken);
        Ensure(status, data, message, "refund");
        var refundStatus = data!["status"]?.GetValue<string>();
        return refundStatus is "failed" ? throw new PaymentGatewayRefusedException("Paystack refund failed") : data["id"]?.ToString() ?? refund.Id.ToString("D");
    }

    /// <summary>The transaction reference of a payment: its id (Paystack references are unique per integration).</summary>
    public static string Reference(Guid paymentId) => paymentId.ToString("D");

    private static void Ensure(HttpStatusCode status, JsonNode? data, string? message, string what)
    {
        if ((int)status is >= 400 and < 500 and not 408 and not 409 and not 429)
        {
            throw new PaymentGatewayRefusedException($"Paystack {what} answered {(int)status}: {message ?? "no message"}");
        }

        if ((int)status >= 300 || data is null)
        {
            throw new HttpRequestException($"Paystack {what} answered {(int)status}: {message ?? "no data"}");
        }
    }

    private async Task<(HttpStatusCode Status, JsonNode? Data, string? Message)> SendAsync(Guid tenantId, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var key = await keys.PaystackAsync(tenantId, cancellationToken);
        using var request = new HttpRequestMessage(method, new Uri($"{keys.Paystack.BaseUrl.TrimEnd('/')}/{path}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var json = JsonNode.Parse(text);
            return (response.StatusCode, json?["status"]?.GetValue<bool>() == true ? json["data"] : null, json?["message"]?.GetValue<string>());
        }
        catch (JsonException)
        {
            return (response.StatusCode, null, null);
        }
    }
}

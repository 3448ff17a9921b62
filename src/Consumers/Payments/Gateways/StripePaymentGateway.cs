using System.Net;
using System.Text.Json.Nodes;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Storage;
using Stripe;

namespace BacBos.Consumers.Payments.Gateways;

/// <summary>
/// Stripe through Stripe.net: <c>POST /v1/payment_intents</c> with <c>Idempotency-Key: bacbos-payment-{id}</c> (a retry
/// after a lost answer gets the same intent back), the payment and tenant ids in <c>metadata</c> (webhooks route by
/// them), automatic payment methods without redirects; with a <c>payment_method</c> the intent is confirmed at once, and a 3-D Secure card
/// answers <c>requires_action</c> with <c>next_action</c> for the client. Refunds: <c>POST /v1/refunds</c> with
/// <c>Idempotency-Key: bacbos-refund-{id}</c>. A 4xx is a refusal; 429, 5xx and network failures are transient.
/// </summary>
public sealed class StripePaymentGateway(PaymentGatewayKeys keys, IHttpClientFactory httpClients) : IPaymentGatewayDriver
{
    public const string HttpClientName = "stripe-payments";

    public string Name => PaymentGateways.Stripe;

    public async Task<GatewayIntent> CreateAsync(Guid tenantId, PaymentRow payment, CancellationToken cancellationToken)
    {
        var service = new PaymentIntentService(await ClientAsync(tenantId, cancellationToken));
        var options = new PaymentIntentCreateOptions
        {
            Amount = payment.AmountMinor,
            Currency = payment.Currency.ToLowerInvariant(),
            Description = payment.Description,
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
            ReceiptEmail = payment.CustomerEmail,
            Metadata = new Dictionary<string, string> { ["tenant_id"] = tenantId.ToString("D"), ["payment_id"] = payment.Id.ToString("D") },
        };
        if (payment.PaymentMethod is { } method)
        {
            options.PaymentMethod = method;
            options.Confirm = true;
        }

        var intent = await Call(() => service.CreateAsync(options, new RequestOptions { IdempotencyKey = $"bacbos-payment-{payment.Id:N}" }, cancellationToken));
        return new GatewayIntent(
            Status(intent.Status),
            intent.Id,
            intent.ClientSecret,
            intent.Status == "requires_action" && intent.NextAction is { } next ? WithoutNulls(next.ToJson()) : null,
            FailureReason: intent.Status == "canceled" ? "canceled at Stripe" : intent.LastPaymentError?.Message);
    }

    public async Task<(string Outcome, string? Reason)> VerifyAsync(Guid tenantId, string reference, CancellationToken cancellationToken)
    {
        var service = new PaymentIntentService(await ClientAsync(tenantId, cancellationToken));
        var intent = await Call(() => service.GetAsync(reference, null, null, cancellationToken));
        return intent.Status switch
        {
            "succeeded" => ("succeeded", null),
            "canceled" => ("failed", $"canceled at Stripe ({intent.CancellationReason ?? "no reason given"})"),
            _ => ("pending", $"Stripe status {intent.Status}{(intent.LastPaymentError?.Message is { } m ? $": {m}" : string.Empty)}"),
        };
    }

    public async Task<string> RefundAsync(Guid tenantId, PaymentRow payment, RefundRow refund, CancellationToken cancellationToken)
    {
        var service = new RefundService(await ClientAsync(tenantId, cancellationToken));
        var options = new RefundCreateOptions
        {
            PaymentIntent = payment.GatewayReference,
            Amount = refund.AmountMinor,
            Reason = "requested_by_customer",
            Metadata = new Dictionary<string, string> { ["refund_id"] = refund.Id.ToString("D"), ["payment_id"] = payment.Id.ToString("D"), ["tenant_id"] = tenantId.ToString("D") },
        };
        var result = await Call(() => service.CreateAsync(options, new RequestOptions { IdempotencyKey = $"bacbos-refund-{refund.Id:N}" }, cancellationToken));
        return result.Status is "failed" or "canceled"
            ? throw new PaymentGatewayRefusedException($"Stripe refund {result.Id} {result.Status}: {result.FailureReason ?? "no reason given"}")
            : result.Id;
    }

    /// <summary>Our status for a PaymentIntent status.</summary>
    public static string Status(string stripeStatus) =>
        stripeStatus switch
        {
            "requires_action" => PaymentStatus.RequiresAction,
            "succeeded" => PaymentStatus.Succeeded,
            "canceled" => PaymentStatus.Failed,
            _ => PaymentStatus.AwaitingPayment,
        };

    /// <summary>Stripe.net writes every member of <c>next_action</c>, most of them null; the client needs only what Stripe sent.</summary>
    public static string WithoutNulls(string json)
    {
        var node = JsonNode.Parse(json)!;
        Prune(node);
        return node.ToJsonString();

        static void Prune(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    Prune(value);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Prune(item);
                }
            }
        }
    }

    private async Task<StripeClient> ClientAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var apiKey = await keys.StripeAsync(tenantId, cancellationToken);
        return new StripeClient(new StripeClientOptions
        {
            ApiKey = apiKey,
            ApiBase = string.IsNullOrWhiteSpace(keys.Stripe.ApiBase) ? null : keys.Stripe.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), keys.Stripe.MaxNetworkRetries, appInfo: null, enableTelemetry: false),
        });
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException ex) when ((int)ex.HttpStatusCode is >= 400 and < 500 and not 409 and not 429)
        {
            var code = ex.StripeError?.DeclineCode ?? ex.StripeError?.Code;
            var reason = ex.HttpStatusCode == HttpStatusCode.Unauthorized
                ? "the Stripe API key was rejected"
                : $"{ex.StripeError?.Type ?? "error"}{(code is null ? string.Empty : $" ({code})")}: {ex.StripeError?.Message ?? ex.Message}";
            throw new PaymentGatewayRefusedException($"Stripe answered {(int)ex.HttpStatusCode}: {reason}");
        }
    }
}

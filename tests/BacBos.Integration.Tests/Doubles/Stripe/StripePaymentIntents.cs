using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BacBos.Consumers.Payments.Webhooks;

namespace BacBos.Integration.Tests.Doubles.Stripe;

/// <summary>An account's payment intents and refunds (JSON as Stripe shows them), and how many creates ran (replays excluded).</summary>
public sealed class StripePaymentIntentStore
{
    private readonly Dictionary<string, JsonObject> _intents = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _refunds = [];

    public int IntentsCreated { get; private set; }

    public int RefundsCreated { get; private set; }

    public JsonObject? Intent(string id)
    {
        lock (_intents)
        {
            return _intents.TryGetValue(id, out var intent) ? (JsonObject)intent.DeepClone() : null;
        }
    }

    public IReadOnlyList<JsonObject> Refunds()
    {
        lock (_intents)
        {
            return _refunds.Select(r => (JsonObject)r.DeepClone()).ToList();
        }
    }

    internal T With<T>(Func<Dictionary<string, JsonObject>, List<JsonObject>, T> change)
    {
        lock (_intents)
        {
            return change(_intents, _refunds);
        }
    }

    internal void CountIntent() => IntentsCreated++;

    internal void CountRefund() => RefundsCreated++;
}

/// <summary>
/// <c>/v1/payment_intents</c> and <c>/v1/refunds</c> as documented, for what the platform uses. Create takes
/// <c>amount</c> (a positive integer in the currency's smallest unit), <c>currency</c> (lower-case ISO code),
/// <c>metadata</c>, <c>automatic_payment_methods</c>, and with <c>confirm=true</c> a <c>payment_method</c>, using Stripe's
/// test payment methods: <c>pm_card_threeDSecure2Required</c> answers <c>requires_action</c> with a <c>use_stripe_sdk</c>
/// <c>next_action</c>; <c>pm_card_chargeDeclined</c> answers 402 <c>card_error</c>/<c>card_declined</c> and leaves the intent
/// in <c>requires_payment_method</c> with <c>last_payment_error</c>; any other <c>pm_card_*</c> succeeds. Without
/// confirmation the intent waits in <c>requires_payment_method</c>. Every intent has a <c>client_secret</c>. Refunds
/// need a succeeded intent and at most the amount not yet refunded (<c>amount_too_large</c> otherwise).
/// The test side completes 3-D Secure (<see cref="Authenticate"/>) and builds the events Stripe would send (<see cref="Event"/>).
/// </summary>
public sealed class StripePaymentIntents : IStripeDoubleResource
{
    private static readonly string[] CreateParameters =
        ["amount", "currency", "description", "metadata", "payment_method", "confirm", "automatic_payment_methods", "receipt_email", "expand"];

    private static readonly string[] RefundParameters = ["payment_intent", "charge", "amount", "reason", "metadata", "expand"];

    public void Map(StripeRoutes routes)
    {
        routes.Add("POST", "/v1/payment_intents", Create);
        routes.Add("GET", "/v1/payment_intents/{id}", Retrieve);
        routes.Add("POST", "/v1/refunds", Refund);
    }

    /// <summary>The customer passes 3-D Secure (or pays the confirmed intent): the intent succeeds.</summary>
    public static JsonObject Authenticate(StripeDouble stripe, string apiKey, string intentId) =>
        stripe.Account(apiKey).State<StripePaymentIntentStore>().With((intents, _) =>
        {
            var intent = intents[intentId];
            intent["status"] = "succeeded";
            intent["next_action"] = null;
            intent["amount_received"] = intent["amount"]!.GetValue<long>();
            return (JsonObject)intent.DeepClone();
        });

    /// <summary>The event Stripe would post for the intent as it is now, and its <c>Stripe-Signature</c> with <paramref name="secret"/>.</summary>
    public static (string Body, string Signature) Event(StripeDouble stripe, string apiKey, string intentId, string type, string secret, DateTimeOffset? at = null) =>
        Signed(stripe.Account(apiKey).State<StripePaymentIntentStore>().Intent(intentId) ?? throw new InvalidOperationException($"No intent {intentId}"), type, secret, at);

    /// <summary>
    /// The card network sends a refund back days later (an expired or closed card): Stripe marks the refund
    /// <c>failed</c> with a <c>failure_reason</c>, and returns the refunded amount to the intent.
    /// </summary>
    public static JsonObject FailRefund(StripeDouble stripe, string apiKey, string refundId, string failureReason) =>
        stripe.Account(apiKey).State<StripePaymentIntentStore>().With((intents, refunds) =>
        {
            var refund = refunds.Single(r => r["id"]!.GetValue<string>() == refundId);
            refund["status"] = "failed";
            refund["failure_reason"] = failureReason;
            return (JsonObject)refund.DeepClone();
        });

    /// <summary>The event Stripe would post about the refund as it is now (<c>refund.failed</c>, <c>refund.updated</c>), signed.</summary>
    public static (string Body, string Signature) RefundEvent(StripeDouble stripe, string apiKey, string refundId, string type, string secret) =>
        Signed(stripe.Account(apiKey).State<StripePaymentIntentStore>().Refunds().Single(r => r["id"]!.GetValue<string>() == refundId), type, secret, null);

    private static (string Body, string Signature) Signed(JsonObject dataObject, string type, string secret, DateTimeOffset? at)
    {
        var body = new JsonObject
        {
            ["id"] = StripeIds.New("evt"),
            ["object"] = "event",
            ["api_version"] = "2025-10-29.clover",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["type"] = type,
            ["livemode"] = false,
            ["data"] = new JsonObject { ["object"] = dataObject },
        }.ToJsonString();
        return (body, WebhookSignatures.StripeHeader(Encoding.UTF8.GetBytes(body), secret, at ?? DateTimeOffset.UtcNow));
    }

    private static StripeResult Create(StripeCall call)
    {
        if (call.RejectUnknown(CreateParameters) is { } unknown)
        {
            return unknown;
        }

        if (!long.TryParse(call.Scalar("amount"), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount < 1)
        {
            return StripeResult.Error(400, "invalid_request_error", "Invalid positive integer", param: "amount", code: "parameter_invalid_integer");
        }

        var currency = call.Scalar("currency");
        if (currency is null || currency.Length != 3 || currency.Any(c => c is < 'a' or > 'z'))
        {
            return StripeResult.Error(400, "invalid_request_error", $"Invalid currency: {currency}.", param: "currency", code: "parameter_invalid_string");
        }

        var confirm = call.Scalar("confirm") == "true";
        var method = call.Scalar("payment_method");
        if (confirm && method is null)
        {
            return StripeResult.Error(400, "invalid_request_error", "You cannot confirm this PaymentIntent because it's missing a payment method.", code: "payment_intent_unexpected_state");
        }

        var id = StripeIds.New("pi");
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_received"] = 0,
            ["currency"] = currency,
            ["description"] = call.Scalar("description"),
            ["client_secret"] = $"{id}_secret_{StripeIds.Random(24)}",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["metadata"] = new JsonObject((call.Map("metadata") ?? new Dictionary<string, string>()).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
            ["payment_method"] = method,
            ["status"] = "requires_payment_method",
            ["next_action"] = null,
            ["last_payment_error"] = null,
        };
        StripeResult? declined = null;
        if (confirm)
        {
            if (method is "pm_card_threeDSecure2Required" or "pm_card_authenticationRequired")
            {
                intent["status"] = "requires_action";
                intent["next_action"] = new JsonObject
                {
                    ["type"] = "use_stripe_sdk",
                    ["use_stripe_sdk"] = new JsonObject { ["type"] = "three_d_secure_redirect", ["stripe_js"] = $"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={id}" },
                };
            }
            else if (method is "pm_card_chargeDeclined" or "pm_card_visa_chargeDeclined")
            {
                intent["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "generic_decline", ["message"] = "Your card was declined." };
                var error = StripeResult.Error(402, "card_error", "Your card was declined.", code: "card_declined");
                error.Body["error"]!["decline_code"] = "generic_decline";
                error.Body["error"]!["payment_intent"] = intent.DeepClone();
                declined = error;
            }
            else
            {
                intent["status"] = "succeeded";
                intent["amount_received"] = amount;
            }
        }

        var store = call.Account.State<StripePaymentIntentStore>();
        store.With((intents, _) => intents[id] = intent);
        store.CountIntent();
        return declined ?? StripeResult.Ok(intent.DeepClone());
    }

    private static StripeResult Retrieve(StripeCall call) =>
        call.Account.State<StripePaymentIntentStore>().Intent(call.Path("id")) is { } intent
            ? StripeResult.Ok(intent)
            : StripeResult.Missing("payment_intent", call.Path("id"));

    private static StripeResult Refund(StripeCall call)
    {
        if (call.RejectUnknown(RefundParameters) is { } unknown)
        {
            return unknown;
        }

        var intentId = call.Scalar("payment_intent");
        var store = call.Account.State<StripePaymentIntentStore>();
        return store.With((intents, refunds) =>
        {
            if (intentId is null || !intents.TryGetValue(intentId, out var intent))
            {
                return StripeResult.Missing("payment_intent", intentId ?? string.Empty);
            }

            if (intent["status"]!.GetValue<string>() != "succeeded")
            {
                return StripeResult.Error(400, "invalid_request_error", $"PaymentIntent {intentId} does not have a successful charge to refund.", code: "charge_not_refundable");
            }

            var received = intent["amount_received"]!.GetValue<long>();
            var refunded = refunds.Where(r => r["payment_intent"]!.GetValue<string>() == intentId && r["status"]!.GetValue<string>() != "failed").Sum(r => r["amount"]!.GetValue<long>());
            var amount = call.Scalar("amount") is { } a ? long.Parse(a, CultureInfo.InvariantCulture) : received - refunded;
            if (amount < 1 || amount > received - refunded)
            {
                return StripeResult.Error(400, "invalid_request_error", $"Refund amount ({amount}) is greater than unrefunded amount on charge ({received - refunded})", param: "amount", code: "amount_too_large");
            }

            var refund = new JsonObject
            {
                ["id"] = StripeIds.New("re"),
                ["object"] = "refund",
                ["amount"] = amount,
                ["currency"] = intent["currency"]!.GetValue<string>(),
                ["payment_intent"] = intentId,
                ["reason"] = call.Scalar("reason"),
                ["status"] = "succeeded",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["metadata"] = new JsonObject((call.Map("metadata") ?? new Dictionary<string, string>()).Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
            };
            refunds.Add(refund);
            store.CountRefund();
            return StripeResult.Ok(refund.DeepClone());
        });
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Doubles.Stripe;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// The seed's payment workflow on real RabbitMQ and PostgreSQL with the gateway and the worker as separate processes
/// and the providers as doubles: request → intent (3-D Secure client secret) → signed webhook → PaymentCompleted on the
/// bus, exactly once; refunds partial and full with PaymentRefunded; Paystack checkout confirmed through the platform
/// webhook; a payment without a webhook confirmed by asking the gateway after its deadline; a decline failing.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_payments_run_across_processes(PaymentSystem system, ITestOutputHelper output) : IClassFixture<PaymentSystem>
{
    private static Guid Id(JsonElement e) => e.GetProperty("id").GetGuid();

    private static string? Text(JsonElement e, string name) => e.GetProperty(name).GetString();

    private static JsonObject StripeRequest(string method, decimal amount = 49.99m) => new()
    {
        ["amount"] = amount,
        ["currency"] = "USD",
        ["gateway"] = "stripe",
        ["payment_method"] = method,
        ["description"] = "Weekly veg box x4",
        ["customer"] = new JsonObject { ["name"] = "Ada Obi", ["email"] = "ada@example.com" },
    };

    [Fact]
    public async Task A_3ds_payment_should_complete_once_through_its_signed_webhook_and_refund_in_parts()
    {
        var key = "order-" + Guid.NewGuid().ToString("N");
        var created = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", StripeRequest("pm_card_threeDSecure2Required"), key);
        output.WriteLine(created.ToString());
        var id = Id(created);
        var intentId = Text(created, "gateway_reference")!;
        Assert.Equal("requires_action", Text(created, "status"));
        Assert.StartsWith($"{intentId}_secret_", Text(created, "client_secret"), StringComparison.Ordinal);
        Assert.Equal("use_stripe_sdk", created.GetProperty("next_action").GetProperty("type").GetString());

        var (replay, replayed) = await system.SendAsync(HttpMethod.Post, "/api/v1/payments", StripeRequest("pm_card_threeDSecure2Required"), key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(id, Id(replayed));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(system.Doubles.Stripe.Requests, r => r.Path == "/v1/payment_intents" && r.Method == "POST" && r.Body.Contains(id.ToString("D"), StringComparison.Ordinal));

        // The customer passes 3-D Secure; Stripe posts the signed event (twice); a forged signature is refused.
        var delivered = await system.SucceedThroughWebhookTwiceAsync(intentId);
        var path = delivered.Path;
        var forged = await system.PostWebhookAsync(path, delivered.Event, "Stripe-Signature", delivered.Signature.Replace("v1=", "v1=00", StringComparison.Ordinal)[..^2]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);

        var completed = await system.EventuallyAsync(() => system.Recorded<PaymentCompleted>().FirstOrDefault(e => e.PaymentId == id), "PaymentCompleted");
        Assert.Equal((system.TenantId, "stripe", intentId, 4999L, "USD", "ada@example.com"), (completed.TenantId, completed.Gateway, completed.GatewayReference, completed.AmountMinor, completed.Currency, completed.CustomerEmail));
        var succeeded = await system.PaymentWhenAsync(id, "succeeded");
        Assert.Equal(JsonValueKind.Null, succeeded.GetProperty("next_action").ValueKind);
        Assert.NotNull(succeeded.GetProperty("completed_at").GetString());

        // A late contradicting event is acknowledged and changes nothing.
        var (lateBody, lateSignature) = StripePaymentIntents.Event(system.Doubles.Stripe, system.Doubles.StripeKey, intentId, "payment_intent.canceled", system.StripeWebhookSecret);
        Assert.Equal(HttpStatusCode.OK, (await system.PostWebhookAsync(path, lateBody, "Stripe-Signature", lateSignature)).Status);

        var partial = await system.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/payments/{id:D}/refunds", new JsonObject { ["amount"] = 10m, ["reason"] = "one box missing" });
        var partialRefund = await system.EventuallyAsync(() => system.Recorded<PaymentRefunded>().FirstOrDefault(e => e.RefundId == Id(partial)), "the partial PaymentRefunded");
        Assert.Equal((1000L, false), (partialRefund.AmountMinor, partialRefund.FullRefund));
        var tooMuch = await system.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/v1/payments/{id:D}/refunds", new JsonObject { ["amount_minor"] = 4000 });
        Assert.Contains("3999", Text(tooMuch, "detail"), StringComparison.Ordinal);

        var rest = await system.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/payments/{id:D}/refunds", new JsonObject());
        var fullRefund = await system.EventuallyAsync(() => system.Recorded<PaymentRefunded>().FirstOrDefault(e => e.RefundId == Id(rest)), "the final PaymentRefunded");
        Assert.Equal((3999L, true), (fullRefund.AmountMinor, fullRefund.FullRefund));
        await system.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/v1/payments/{id:D}/refunds", new JsonObject());

        var final = await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/payments/{id:D}");
        Assert.Equal("succeeded", Text(final, "status"));
        Assert.Equal(4999, final.GetProperty("refunded").GetProperty("amount_minor").GetInt64());
        Assert.Equal(2, final.GetProperty("refunds").GetArrayLength());
        Assert.Equal(4999, system.Doubles.Intents.Refunds().Where(r => r["payment_intent"]!.GetValue<string>() == intentId).Sum(r => r["amount"]!.GetValue<long>()));
        Assert.Single(system.Recorded<PaymentCompleted>(), e => e.PaymentId == id);
        Assert.DoesNotContain(system.Recorded<PaymentFailed>(), e => e.PaymentId == id);
    }

    [Fact]
    public async Task A_paystack_checkout_should_complete_through_the_platform_webhook()
    {
        var created = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", new JsonObject
        {
            ["amount"] = 12500,
            ["currency"] = "NGN",
            ["customer"] = new JsonObject { ["email"] = "buyer@example.com" },
        });
        var id = Id(created);
        Assert.Equal(("paystack", "awaiting_payment"), (Text(created, "gateway"), Text(created, "status")));
        Assert.StartsWith("https://checkout.paystack.com/", Text(created, "authorization_url"), StringComparison.Ordinal);
        Assert.Equal(1_250_000, created.GetProperty("amount").GetProperty("amount_minor").GetInt64());

        var (body, signature) = system.Doubles.Transactions.Pay(id.ToString("D"), system.Doubles.PaystackKey);
        var delivered = await system.PostWebhookAsync("/api/v1/webhooks/paystack", body, "x-paystack-signature", signature);
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);

        var completed = await system.EventuallyAsync(() => system.Recorded<PaymentCompleted>().FirstOrDefault(e => e.PaymentId == id), "PaymentCompleted (Paystack)");
        Assert.Equal(("paystack", 1_250_000L, "NGN"), (completed.Gateway, completed.AmountMinor, completed.Currency));
        await system.PaymentWhenAsync(id, "succeeded");

        // The customer's browser comes back from checkout (no API key): it sees the payment's status, and nothing else.
        using var browser = new HttpClient { BaseAddress = system.Gateway.BaseAddress };
        var callback = $"/api/v1/payments/paystack/callback/{system.TenantId:D}?trxref={id:D}&reference={id:D}";
        using var back = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal("succeeded", JsonDocument.Parse(await back.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        using var unknown = await browser.GetAsync($"/api/v1/payments/paystack/callback/{Guid.NewGuid():D}?reference={id:D}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_payment_without_a_webhook_should_be_confirmed_by_asking_the_gateway()
    {
        var created = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", StripeRequest("pm_card_threeDSecure2Required", 5m));
        var intentId = Text(created, "gateway_reference")!;

        StripePaymentIntents.Authenticate(system.Doubles.Stripe, system.Doubles.StripeKey, intentId);

        var completed = await system.EventuallyAsync(() => system.Recorded<PaymentCompleted>().FirstOrDefault(e => e.PaymentId == Id(created)), "PaymentCompleted after verification");
        Assert.Equal(intentId, completed.GatewayReference);
        Assert.Contains(system.Doubles.Stripe.Requests, r => r.Method == "GET" && r.Path == $"/v1/payment_intents/{intentId}");
    }

    [Fact]
    public async Task A_declined_card_should_fail_the_payment_with_the_reason()
    {
        var created = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", StripeRequest("pm_card_chargeDeclined", 3m));

        Assert.Equal("failed", Text(created, "status"));
        Assert.Contains("generic_decline", Text(created, "failure_reason"), StringComparison.Ordinal);
        var failed = await system.EventuallyAsync(() => system.Recorded<PaymentFailed>().FirstOrDefault(e => e.PaymentId == Id(created)), "PaymentFailed");
        Assert.Contains("declined", failed.Reason, StringComparison.Ordinal);
    }
}

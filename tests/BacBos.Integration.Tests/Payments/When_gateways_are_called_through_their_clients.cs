using System.Text.Json;
using BacBos.Consumers.Payments.Gateways;
using BacBos.Consumers.Payments.Storage;
using BacBos.Integration.Tests.Doubles.Stripe;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// The Stripe driver through Stripe.net and the Paystack driver through its REST API, against doubles that follow the
/// documented protocols: idempotent creates, 3-D Secure <c>requires_action</c>, declines, verification, partial and
/// full refunds, refusals versus transient failures, and no gateway configured.
/// </summary>
public sealed class When_gateways_are_called_through_their_clients(PaymentDriversTestbed bed) : IClassFixture<PaymentDriversTestbed>
{
    private static readonly Guid Tenant = Guid.NewGuid();

    private IPaymentGatewayDriver Stripe => bed.Drivers().Get("stripe");

    private IPaymentGatewayDriver Paystack => bed.Drivers().Get("paystack");

    [Fact]
    public async Task A_3ds_card_should_require_action_and_a_repeat_should_answer_the_same_intent()
    {
        var payment = PaymentDriversTestbed.Payment("stripe", 2500, "EUR", "pm_card_threeDSecure2Required");
        var before = bed.Doubles.Intents.IntentsCreated;

        var first = await Stripe.CreateAsync(Tenant, payment, CancellationToken.None);
        var again = await Stripe.CreateAsync(Tenant, payment, CancellationToken.None);

        Assert.Equal(PaymentStatus.RequiresAction, first.Status);
        Assert.StartsWith($"{first.Reference}_secret_", first.ClientSecret, StringComparison.Ordinal);
        Assert.Equal("use_stripe_sdk", JsonDocument.Parse(first.NextAction!).RootElement.GetProperty("type").GetString());
        Assert.Equal(first, again);
        Assert.Equal(before + 1, bed.Doubles.Intents.IntentsCreated);
        var stored = bed.Doubles.Intents.Intent(first.Reference)!;
        Assert.Equal(2500, stored["amount"]!.GetValue<long>());
        Assert.Equal("eur", stored["currency"]!.GetValue<string>());
        Assert.Equal(payment.Id.ToString("D"), stored["metadata"]!["payment_id"]!.GetValue<string>());
        Assert.Equal(Tenant.ToString("D"), stored["metadata"]!["tenant_id"]!.GetValue<string>());
        var create = bed.Doubles.Stripe.Requests.Last(r => r.Method == "POST" && r.Path == "/v1/payment_intents");
        Assert.Equal($"bacbos-payment-{payment.Id:N}", create.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task An_intent_should_be_pending_until_the_customer_authenticates()
    {
        var intent = await Stripe.CreateAsync(Tenant, PaymentDriversTestbed.Payment("stripe", 1000, "USD", "pm_card_threeDSecure2Required"), CancellationToken.None);

        Assert.Equal("pending", (await Stripe.VerifyAsync(Tenant, intent.Reference, CancellationToken.None)).Outcome);
        StripePaymentIntents.Authenticate(bed.Doubles.Stripe, bed.Doubles.StripeKey, intent.Reference);
        Assert.Equal(("succeeded", (string?)null), await Stripe.VerifyAsync(Tenant, intent.Reference, CancellationToken.None));
    }

    [Fact]
    public async Task A_declined_card_should_be_a_refusal_with_the_decline_code()
    {
        var refusal = await Assert.ThrowsAsync<PaymentGatewayRefusedException>(() =>
            Stripe.CreateAsync(Tenant, PaymentDriversTestbed.Payment("stripe", 1000, "USD", "pm_card_chargeDeclined"), CancellationToken.None));

        Assert.Contains("402", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("generic_decline", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_should_be_transient_not_a_refusal()
    {
        bed.Doubles.Stripe.Faults.Enqueue(500);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Stripe.CreateAsync(Tenant, PaymentDriversTestbed.Payment("stripe", 1000, "USD"), CancellationToken.None));

        Assert.IsNotType<PaymentGatewayRefusedException>(error);
    }

    [Fact]
    public async Task Stripe_refunds_should_be_partial_then_full_and_never_exceed_the_payment()
    {
        var payment = PaymentDriversTestbed.Payment("stripe", 1000, "USD", "pm_card_visa");
        var intent = await Stripe.CreateAsync(Tenant, payment, CancellationToken.None);
        Assert.Equal(PaymentStatus.Succeeded, intent.Status);
        payment = payment with { GatewayReference = intent.Reference, Status = PaymentStatus.Succeeded };
        var partial = PaymentDriversTestbed.Refund(payment, 300);

        var first = await Stripe.RefundAsync(Tenant, payment, partial, CancellationToken.None);
        var replayed = await Stripe.RefundAsync(Tenant, payment, partial, CancellationToken.None);
        var rest = await Stripe.RefundAsync(Tenant, payment, PaymentDriversTestbed.Refund(payment, 700), CancellationToken.None);
        var tooMuch = await Assert.ThrowsAsync<PaymentGatewayRefusedException>(() => Stripe.RefundAsync(Tenant, payment, PaymentDriversTestbed.Refund(payment, 1), CancellationToken.None));

        Assert.Equal(first, replayed);
        Assert.NotEqual(first, rest);
        Assert.Contains("amount_too_large", tooMuch.Message, StringComparison.Ordinal);
        Assert.Equal(1000, bed.Doubles.Intents.Refunds().Where(r => r["payment_intent"]!.GetValue<string>() == intent.Reference).Sum(r => r["amount"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Paystack_should_initialize_once_per_reference_verify_and_refund()
    {
        var payment = PaymentDriversTestbed.Payment("paystack", 500_000, "NGN");

        var intent = await Paystack.CreateAsync(Tenant, payment, CancellationToken.None);
        var again = await Paystack.CreateAsync(Tenant, payment, CancellationToken.None);

        Assert.Equal(PaymentStatus.AwaitingPayment, intent.Status);
        Assert.Equal(payment.Id.ToString("D"), intent.Reference);
        Assert.Equal($"https://checkout.paystack.com/{intent.AccessCode}", intent.AuthorizationUrl);
        Assert.Equal(intent.Reference, again.Reference);
        Assert.Equal(Tenant.ToString("D"), bed.Doubles.Transactions.Metadata(intent.Reference).GetProperty("tenant_id").GetString());
        var initialize = bed.Doubles.Paystack.Requests.First(r => r.Path == "/transaction/initialize" && r.Body.Contains(intent.Reference, StringComparison.Ordinal));
        Assert.Equal($"{PaymentDoubles.PublicApiBaseUrl}/api/v1/payments/paystack/callback/{Tenant:D}", JsonDocument.Parse(initialize.Body).RootElement.GetProperty("callback_url").GetString());

        Assert.Equal("pending", (await Paystack.VerifyAsync(Tenant, intent.Reference, CancellationToken.None)).Outcome);
        bed.Doubles.Transactions.Pay(intent.Reference, bed.Doubles.PaystackKey);
        Assert.Equal("succeeded", (await Paystack.VerifyAsync(Tenant, intent.Reference, CancellationToken.None)).Outcome);

        payment = payment with { GatewayReference = intent.Reference, Status = PaymentStatus.Succeeded };
        Assert.NotEmpty(await Paystack.RefundAsync(Tenant, payment, PaymentDriversTestbed.Refund(payment, 200_000), CancellationToken.None));
        var tooMuch = await Assert.ThrowsAsync<PaymentGatewayRefusedException>(() => Paystack.RefundAsync(Tenant, payment, PaymentDriversTestbed.Refund(payment, 300_001), CancellationToken.None));
        Assert.Contains("cannot be greater", tooMuch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_paystack_reference_should_be_a_refusal()
    {
        var refusal = await Assert.ThrowsAsync<PaymentGatewayRefusedException>(() => Paystack.VerifyAsync(Tenant, Guid.NewGuid().ToString("D"), CancellationToken.None));

        Assert.Contains("Transaction reference not found", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_keys_both_gateways_should_refuse_as_not_configured()
    {
        var drivers = bed.Drivers(new Dictionary<string, string?>());

        var stripe = await Assert.ThrowsAsync<PaymentGatewayRefusedException>(() => drivers.Get("stripe").CreateAsync(Tenant, PaymentDriversTestbed.Payment("stripe", 100, "USD"), CancellationToken.None));
        var paystack = await Assert.ThrowsAsync<PaymentGatewayRefusedException>(() => drivers.Get("paystack").CreateAsync(Tenant, PaymentDriversTestbed.Payment("paystack", 100, "NGN"), CancellationToken.None));

        Assert.StartsWith("skipped: Stripe is not configured", stripe.Message, StringComparison.Ordinal);
        Assert.StartsWith("skipped: Paystack is not configured", paystack.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_key_should_be_a_refusal_that_does_not_show_the_key()
    {
        var configuration = bed.Doubles.Configuration();
        configuration["Drivers:Stripe:ApiKey"] = "sk_test_" + new string('x', 32);

        var refusal = await Assert.ThrowsAsync<PaymentGatewayRefusedException>(() =>
            bed.Drivers(configuration).Get("stripe").CreateAsync(Tenant, PaymentDriversTestbed.Payment("stripe", 100, "USD"), CancellationToken.None));

        Assert.Contains("API key was rejected", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", refusal.Message, StringComparison.Ordinal);
    }
}

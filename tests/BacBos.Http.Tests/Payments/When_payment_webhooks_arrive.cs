using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;
using static BacBos.Http.Tests.Payments.PaymentsGateway;

namespace BacBos.Http.Tests.Payments;

/// <summary>
/// Webhooks are verified on the raw body with the tenant's secret before anything else, acknowledged at once and
/// processed on the bus: a valid event moves the payment; a forged, stale, unsigned or another tenant's event does
/// not; a duplicate or a late contradicting event is acknowledged and changes nothing a second time.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_payment_webhooks_arrive(PaymentsGateway gateway) : IAsyncLifetime
{
    private CrmClient _tenant = null!;

    public async Task InitializeAsync() => _tenant = await gateway.NewStripeTenantAsync("Webhook Payments Ltd");

    public Task DisposeAsync()
    {
        _tenant.Dispose();
        return Task.CompletedTask;
    }

    private Guid TenantId => _tenant.Tenant.TenantId;

    private async Task<JsonElement> FailedPaymentAsync()
    {
        var payment = await PaymentsGateway.CreateStripePaymentAsync(_tenant);
        Assert.Equal("failed", Text(payment, "status"));
        return payment;
    }

    private Task<JsonElement> SucceededAsync(Guid id) =>
        PaymentsGateway.PaymentWhenAsync(_tenant, id, p => Text(p, "status") == "succeeded", "the payment to succeed");

    [Fact]
    public async Task A_valid_success_should_complete_the_payment_once()
    {
        var payment = await FailedPaymentAsync();
        var body = PaymentsGateway.StripeEvent("evt_ok_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", TenantId, Id(payment), "pi_ok_1");

        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "accepted");
        var succeeded = await SucceededAsync(Id(payment));
        Assert.Equal("pi_ok_1", Text(succeeded, "gateway_reference"));
        Assert.Null(Text(succeeded, "failure_reason"));

        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "duplicate");
        var late = PaymentsGateway.StripeEvent("evt_late_" + Guid.NewGuid().ToString("N"), "payment_intent.payment_failed", TenantId, Id(payment), "pi_ok_1", "card declined");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, late), "accepted");
        var canceled = PaymentsGateway.StripeEvent("evt_cancel_" + Guid.NewGuid().ToString("N"), "payment_intent.canceled", TenantId, Id(payment), "pi_ok_1");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, canceled), "accepted");

        // A marker payment behind the late events on the same bus: once it succeeded, the late events were handled.
        await MarkerAsync();
        var after = await _tenant.GetAsync($"/api/v1/payments/{Id(payment):D}");
        Assert.Equal("succeeded", Text(after, "status"));
        Assert.Equal(Text(succeeded, "completed_at"), Text(after, "completed_at"));
        Assert.Equal(Text(succeeded, "updated_at"), Text(after, "updated_at"));
    }

    [Fact]
    public async Task Forged_stale_and_unsigned_events_should_be_refused_and_change_nothing()
    {
        var payment = await FailedPaymentAsync();
        var body = PaymentsGateway.StripeEvent("evt_bad_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", TenantId, Id(payment));

        var forged = await Responses.ProblemAsync(await gateway.PostStripeEventAsync(TenantId, body, secret: "whsec_someone_else"), HttpStatusCode.BadRequest);
        Assert.Equal("https://bacbos.dev/problems/webhook-signature-invalid", Text(forged, "type"));
        var stale = await Responses.ProblemAsync(await gateway.PostStripeEventAsync(TenantId, body, at: DateTimeOffset.UtcNow.AddSeconds(-301)), HttpStatusCode.BadRequest);
        Assert.Equal("https://bacbos.dev/problems/webhook-timestamp-stale", Text(stale, "type"));
        var unsigned = await Responses.ProblemAsync(await gateway.PostWebhookAsync($"/api/v1/webhooks/stripe/{TenantId:D}", body), HttpStatusCode.BadRequest);
        Assert.Equal("https://bacbos.dev/problems/webhook-signature-missing", Text(unsigned, "type"));
        var tampered = body.Replace("payment_intent.succeeded", "payment_intent.succeedeD", StringComparison.Ordinal);
        var signedOriginal = WebhookSignatures.StripeHeader(Encoding.UTF8.GetBytes(body), PaymentsGateway.StripeWebhookSecret, DateTimeOffset.UtcNow);
        await Responses.ProblemAsync(await gateway.PostWebhookAsync($"/api/v1/webhooks/stripe/{TenantId:D}", tampered, ("Stripe-Signature", signedOriginal)), HttpStatusCode.BadRequest);

        await MarkerAsync();
        Assert.Equal("failed", Text(await _tenant.GetAsync($"/api/v1/payments/{Id(payment):D}"), "status"));
        Assert.Equal(0, await gateway.PlatformScalarAsync("SELECT COUNT(*) FROM payment_webhook_events WHERE tenant_id = @t AND payment_id = @p", ("t", TenantId.ToString()), ("p", Id(payment).ToString())));
    }

    [Fact]
    public async Task One_matching_signature_among_several_should_be_enough()
    {
        var payment = await FailedPaymentAsync();
        var body = PaymentsGateway.StripeEvent("evt_rot_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", TenantId, Id(payment));
        var good = WebhookSignatures.StripeHeader(Encoding.UTF8.GetBytes(body), PaymentsGateway.StripeWebhookSecret, DateTimeOffset.UtcNow);
        var t = good.Split(',')[0];
        var header = $"{t},v1={new string('0', 64)},{good.Split(',')[1]},v0=abc";

        await AckAsync(await gateway.PostWebhookAsync($"/api/v1/webhooks/stripe/{TenantId:D}", body, ("Stripe-Signature", header)), "accepted");
        await SucceededAsync(Id(payment));
    }

    [Fact]
    public async Task Another_tenants_event_should_be_acknowledged_and_ignored()
    {
        using var other = await gateway.NewStripeTenantAsync("Other Webhook Ltd");
        var theirs = await PaymentsGateway.CreateStripePaymentAsync(other);

        // Signed with this tenant's secret (a shared Stripe account sends every event to every endpoint), about theirs.
        var body = PaymentsGateway.StripeEvent("evt_x_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", other.Tenant.TenantId, Id(theirs));
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "ignored");
        // Their own endpoint refuses this tenant's signature… with their secret it is theirs and is accepted.
        await AckAsync(await gateway.PostStripeEventAsync(other.Tenant.TenantId, body), "accepted");
        await PaymentsGateway.PaymentWhenAsync(other, Id(theirs), p => Text(p, "status") == "succeeded", "their payment to succeed");
        await Responses.ProblemAsync(await _tenant.SendAsync(HttpMethod.Get, $"/api/v1/payments/{Id(theirs):D}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_tenants_and_tenants_without_a_webhook_should_get_404()
    {
        using var plain = await gateway.NewTenantAsync("No Webhook Ltd");
        var body = PaymentsGateway.StripeEvent("evt_404", "payment_intent.succeeded", TenantId, Guid.NewGuid());

        await Responses.ProblemAsync(await gateway.PostStripeEventAsync(Guid.NewGuid(), body), HttpStatusCode.NotFound);
        await Responses.ProblemAsync(await gateway.PostStripeEventAsync(plain.Tenant.TenantId, body), HttpStatusCode.NotFound);
        await Responses.ProblemAsync(await gateway.PostWebhookAsync("/api/v1/webhooks/paystack", "{}", ("x-paystack-signature", "00")), HttpStatusCode.NotFound);
        using var text = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/stripe/{TenantId:D}") { Content = new StringContent("x", Encoding.UTF8, "text/plain") };
        using var client = gateway.CreateClient();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.SendAsync(text)).StatusCode);
    }

    [Fact]
    public async Task A_paystack_event_signed_with_the_tenants_key_should_complete_the_payment()
    {
        const string key = "sk_test_tenant_own_paystack_key";
        await gateway.SealAsync(TenantId, TenantCredentials.PaystackSecretKey, key);
        var payment = await FailedPaymentAsync();
        var body = new JsonObject
        {
            ["event"] = "charge.success",
            ["data"] = new JsonObject
            {
                ["id"] = 302961,
                ["status"] = "success",
                ["reference"] = Id(payment).ToString("D"),
                ["metadata"] = new JsonObject { ["tenant_id"] = TenantId.ToString("D"), ["payment_id"] = Id(payment).ToString("D") }.ToJsonString(),
            },
        }.ToJsonString();
        var path = $"/api/v1/webhooks/paystack/{TenantId:D}";

        await Responses.ProblemAsync(await gateway.PostWebhookAsync(path, body, ("x-paystack-signature", WebhookSignatures.PaystackHeader(Encoding.UTF8.GetBytes(body), "sk_test_other"))), HttpStatusCode.BadRequest);
        await AckAsync(await gateway.PostWebhookAsync(path, body, ("x-paystack-signature", WebhookSignatures.PaystackHeader(Encoding.UTF8.GetBytes(body), key))), "accepted");
        await AckAsync(await gateway.PostWebhookAsync(path, body, ("x-paystack-signature", WebhookSignatures.PaystackHeader(Encoding.UTF8.GetBytes(body), key))), "duplicate");

        await SucceededAsync(Id(payment));
    }

    /// <summary>A payment made and completed after the events under test: the in-memory bus handled what came before it.</summary>
    private async Task MarkerAsync()
    {
        var marker = await FailedPaymentAsync();
        var body = PaymentsGateway.StripeEvent("evt_marker_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", TenantId, Id(marker));
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "accepted");
        await SucceededAsync(Id(marker));
    }
}

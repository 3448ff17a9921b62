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
/// A refund the gateway reports failed days later (Stripe <c>refund.failed</c> / <c>refund.updated</c> with a failed
/// Refund, Paystack <c>refund.failed</c>) is acted on: a succeeded refund becomes <c>reversed</c> and leaves the refunded
/// total, once however often the event comes; a pending one fails and releases its reservation. Forged events, another
/// tenant's refunds, refunds we do not know and refund events that are not failures change nothing.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_a_refund_fails_after_the_fact(PaymentsGateway gateway) : IAsyncLifetime
{
    private CrmClient _tenant = null!;

    public async Task InitializeAsync() => _tenant = await gateway.NewStripeTenantAsync("Refund Failures Ltd");

    public Task DisposeAsync()
    {
        _tenant.Dispose();
        return Task.CompletedTask;
    }

    private Guid TenantId => _tenant.Tenant.TenantId;

    /// <summary>A payment of 10.00 USD that succeeded through its webhook.</summary>
    private async Task<Guid> SucceededPaymentAsync()
    {
        var id = Id(await PaymentsGateway.CreateStripePaymentAsync(_tenant));
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, PaymentsGateway.StripeEvent("evt_pay_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", TenantId, id)), "accepted");
        await PaymentsGateway.PaymentWhenAsync(_tenant, id, p => Text(p, "status") == "succeeded", "the payment to succeed");
        return id;
    }

    /// <summary>
    /// What a refund leaves once the gateway took it (the embedded default has no gateway to take one): a refund row
    /// with the gateway's id, and its amount refunded (succeeded) or reserved (still pending).
    /// </summary>
    private async Task<Guid> RefundAsync(Guid paymentId, long amountMinor, string status, string? reference)
    {
        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow.ToString("O");
        await using var connection = await gateway.OpenTenantDatabaseAsync(TenantId);
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO payment_refunds (id, payment_id, amount_minor, currency, reason, status, gateway_reference, failure_reason, created_by, created_at, updated_at) " +
                "VALUES (@id, @p, @amount, 'USD', 'damaged', @status, @reference, NULL, 'test', @now, @now)";
            insert.Parameters.AddWithValue("id", id.ToString("D"));
            insert.Parameters.AddWithValue("p", paymentId.ToString("D"));
            insert.Parameters.AddWithValue("amount", amountMinor);
            insert.Parameters.AddWithValue("status", status);
            insert.Parameters.AddWithValue("reference", (object?)reference ?? DBNull.Value);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync();
        }

        await using (var update = connection.CreateCommand())
        {
            var column = status == "succeeded" ? "refunded_minor" : "refund_pending_minor";
            update.CommandText = $"UPDATE payments SET {column} = {column} + @amount WHERE id = @p";
            update.Parameters.AddWithValue("amount", amountMinor);
            update.Parameters.AddWithValue("p", paymentId.ToString("D"));
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        await transaction.CommitAsync();
        return id;
    }

    private static string StripeRefundEvent(string eventId, string type, string status, Guid tenantId, Guid paymentId, Guid? refundId, string reference = "re_test_1") =>
        StripeEventOf(eventId, type, new JsonObject
        {
            ["id"] = reference,
            ["object"] = "refund",
            ["amount"] = 400,
            ["currency"] = "usd",
            ["payment_intent"] = "pi_test_1",
            ["status"] = status,
            ["failure_reason"] = status == "failed" ? "expired_or_canceled_card" : null,
            ["metadata"] = new JsonObject { ["tenant_id"] = tenantId.ToString("D"), ["payment_id"] = paymentId.ToString("D"), ["refund_id"] = refundId?.ToString("D") },
        });

    /// <summary>Paystack's documented refund event body: no refund id of Paystack's, the processor's reference, the amount in subunits (here as a string, as Paystack sometimes sends it).</summary>
    private static string PaystackRefundEvent(string type, Guid paymentId, long amountMinor, string? processorReference, long? paystackRefundId = null)
    {
        var data = new JsonObject
        {
            ["status"] = type == "refund.failed" ? "failed" : "processed",
            ["transaction_reference"] = paymentId.ToString("D"),
            ["refund_reference"] = processorReference,
            ["amount"] = amountMinor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["currency"] = "USD",
            ["processor"] = "instant-transfer",
            ["customer"] = new JsonObject { ["first_name"] = "Ada", ["last_name"] = "Obi", ["email"] = "ada@example.com" },
            ["integration"] = 412325,
            ["domain"] = "test",
        };
        if (paystackRefundId is { } id)
        {
            data["id"] = id;
        }

        return new JsonObject { ["event"] = type, ["data"] = data }.ToJsonString();
    }

    private Task<JsonElement> PaymentWhenAsync(Guid paymentId, Func<JsonElement, bool> done, string what) => PaymentsGateway.PaymentWhenAsync(_tenant, paymentId, done, what);

    private static JsonElement Refund(JsonElement payment, Guid refundId) =>
        payment.GetProperty("refunds").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == refundId);

    private static long Minor(JsonElement payment, string name) => payment.GetProperty(name).GetProperty("amount_minor").GetInt64();

    [Fact]
    public async Task A_signed_refund_failed_event_should_reverse_the_refund_once()
    {
        var paymentId = await SucceededPaymentAsync();
        var refundId = await RefundAsync(paymentId, 400, "succeeded", "re_test_1");
        Assert.Equal(400, Minor(await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}"), "refunded"));

        var body = StripeRefundEvent("evt_rf_" + Guid.NewGuid().ToString("N"), "refund.failed", "failed", TenantId, paymentId, refundId);
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "accepted");
        var reversed = await PaymentWhenAsync(paymentId, p => Text(Refund(p, refundId), "status") == "reversed", "the refund to be reversed");
        Assert.Equal((0L, 1000L), (Minor(reversed, "refunded"), Minor(reversed, "refundable")));
        Assert.Equal("Stripe refund failed: expired_or_canceled_card", Text(Refund(reversed, refundId), "failure_reason"));
        Assert.Equal("succeeded", Text(reversed, "status"));

        // The same event again, and Stripe's refund.updated about the same failure: acknowledged, nothing taken off twice.
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "duplicate");
        var updated = StripeRefundEvent("evt_ru_" + Guid.NewGuid().ToString("N"), "charge.refund.updated", "failed", TenantId, paymentId, refundId);
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, updated), "accepted");
        await MarkerAsync();
        var after = await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}");
        Assert.Equal((0L, 1000L, "reversed"), (Minor(after, "refunded"), Minor(after, "refundable"), Text(Refund(after, refundId), "status")));
        Assert.Equal(1, await gateway.PlatformScalarAsync("SELECT COUNT(*) FROM payment_webhook_events WHERE event_type = 'refund.failed' AND tenant_id = @t AND payment_id = @p", ("t", TenantId.ToString()), ("p", paymentId.ToString())));
    }

    [Fact]
    public async Task A_failure_that_overtakes_our_own_settle_should_fail_the_pending_refund_and_release_it()
    {
        var paymentId = await SucceededPaymentAsync();
        var refundId = await RefundAsync(paymentId, 250, "pending", null);
        Assert.Equal(750, Minor(await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}"), "refundable"));

        var body = StripeRefundEvent("evt_rp_" + Guid.NewGuid().ToString("N"), "refund.updated", "failed", TenantId, paymentId, refundId, "re_pending_1");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "accepted");
        var failed = await PaymentWhenAsync(paymentId, p => Text(Refund(p, refundId), "status") == "failed", "the pending refund to fail");
        Assert.Equal((0L, 1000L), (Minor(failed, "refunded"), Minor(failed, "refundable")));
        Assert.Equal("re_pending_1", Text(Refund(failed, refundId), "gateway_reference"));
    }

    [Fact]
    public async Task A_paystack_refund_failed_event_should_find_the_refund_by_the_gateway_id_or_else_by_payment_and_amount()
    {
        const string key = "sk_test_refund_failures_paystack";
        await gateway.SealAsync(TenantId, TenantCredentials.PaystackSecretKey, key);
        var paymentId = await SucceededPaymentAsync();
        var first = await RefundAsync(paymentId, 300, "succeeded", "3018284");
        var second = await RefundAsync(paymentId, 300, "succeeded", "3018285");
        var byId = await RefundAsync(paymentId, 100, "succeeded", "3018286");
        var path = $"/api/v1/webhooks/paystack/{TenantId:D}";
        string Sign(string body) => WebhookSignatures.PaystackHeader(Encoding.UTF8.GetBytes(body), key);

        var processed = PaystackRefundEvent("refund.processed", paymentId, 300, "TRF_processed");
        await AckAsync(await gateway.PostWebhookAsync(path, processed, ("x-paystack-signature", Sign(processed))), "ignored");
        var failed = PaystackRefundEvent("refund.failed", paymentId, 300, "TRF_9vgfawjnoz58uxy");
        await Responses.ProblemAsync(await gateway.PostWebhookAsync(path, failed, ("x-paystack-signature", WebhookSignatures.PaystackHeader(Encoding.UTF8.GetBytes(failed), "sk_test_other"))), HttpStatusCode.BadRequest);
        await AckAsync(await gateway.PostWebhookAsync(path, failed, ("x-paystack-signature", Sign(failed))), "accepted");
        await AckAsync(await gateway.PostWebhookAsync(path, failed, ("x-paystack-signature", Sign(failed))), "duplicate");

        // No id in the documented body: one standing refund of that payment and amount (the oldest), once for the repeated event.
        int Reversed(JsonElement p) => new[] { first, second }.Count(r => Text(Refund(p, r), "status") == "reversed");
        var one = await PaymentWhenAsync(paymentId, p => Reversed(p) == 1, "one 3.00 refund to be reversed");
        Assert.Equal((400L, 600L), (Minor(one, "refunded"), Minor(one, "refundable")));

        // The second failure of the same amount (another processor reference) takes the other refund; an event naming an id finds that one.
        var again = PaystackRefundEvent("refund.failed", paymentId, 300, "TRF_second");
        await AckAsync(await gateway.PostWebhookAsync(path, again, ("x-paystack-signature", Sign(again))), "accepted");
        var named = PaystackRefundEvent("refund.failed", paymentId, 999, null, paystackRefundId: 3018286);
        await AckAsync(await gateway.PostWebhookAsync(path, named, ("x-paystack-signature", Sign(named))), "accepted");
        var all = await PaymentWhenAsync(
            paymentId,
            p => Reversed(p) == 2 && Text(Refund(p, byId), "status") == "reversed",
            "the second 3.00 refund and the named one to be reversed");
        Assert.Equal((0L, 1000L), (Minor(all, "refunded"), Minor(all, "refundable")));
    }

    [Fact]
    public async Task Forged_foreign_unknown_and_non_failure_refund_events_should_change_nothing()
    {
        var paymentId = await SucceededPaymentAsync();
        var refundId = await RefundAsync(paymentId, 300, "succeeded", "re_keep_1");
        using var other = await gateway.NewStripeTenantAsync("Other Refunds Ltd");

        var forged = StripeRefundEvent("evt_fg_" + Guid.NewGuid().ToString("N"), "refund.failed", "failed", TenantId, paymentId, refundId, "re_keep_1");
        var problem = await Responses.ProblemAsync(await gateway.PostStripeEventAsync(TenantId, forged, secret: "whsec_someone_else"), HttpStatusCode.BadRequest);
        Assert.Equal("https://bacbos.dev/problems/webhook-signature-invalid", Text(problem, "type"));
        var theirs = StripeRefundEvent("evt_th_" + Guid.NewGuid().ToString("N"), "refund.failed", "failed", other.Tenant.TenantId, paymentId, refundId, "re_keep_1");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, theirs), "ignored");
        // Their endpoint, their secret, but our refund's ids: their tables have no such refund, so nothing happens anywhere.
        await AckAsync(await gateway.PostStripeEventAsync(other.Tenant.TenantId, theirs), "accepted");
        var unknown = StripeRefundEvent("evt_un_" + Guid.NewGuid().ToString("N"), "refund.failed", "failed", TenantId, paymentId, Guid.NewGuid(), "re_unknown");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, unknown), "accepted");
        var succeeded = StripeRefundEvent("evt_ok_" + Guid.NewGuid().ToString("N"), "refund.updated", "succeeded", TenantId, paymentId, refundId, "re_keep_1");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, succeeded), "ignored");

        await MarkerAsync();
        var after = await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}");
        Assert.Equal((300L, "succeeded"), (Minor(after, "refunded"), Text(Refund(after, refundId), "status")));
    }

    /// <summary>
    /// A refund failure behind the events under test on the same bus and endpoint: once it is reversed, what came
    /// before it was handled.
    /// </summary>
    private async Task MarkerAsync()
    {
        var paymentId = await SucceededPaymentAsync();
        var refundId = await RefundAsync(paymentId, 100, "succeeded", "re_marker");
        var body = StripeRefundEvent("evt_mk_" + Guid.NewGuid().ToString("N"), "refund.failed", "failed", TenantId, paymentId, refundId, "re_marker");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, body), "accepted");
        await PaymentWhenAsync(paymentId, p => Text(Refund(p, refundId), "status") == "reversed", "the marker refund to be reversed");
    }
}

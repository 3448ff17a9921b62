using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Contracts.Payments;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static BacBos.Http.Tests.Crm.CrmJson;
using static BacBos.Http.Tests.Payments.PaymentsGateway;

namespace BacBos.Http.Tests.Payments;

/// <summary>
/// Stripe <c>charge.dispute.*</c> events show on the payment they dispute (found by its PaymentIntent): open while the
/// customer's bank asks for a response or reviews it, closed when won or lost, with the amount in open disputes on the
/// payment. The event's time orders the changes: an older event changes nothing and a closed dispute stays closed; a
/// repeated event is one row and one <see cref="PaymentDisputed"/>. Forged events and other tenants' intents change nothing.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_a_payment_is_disputed(PaymentsGateway gateway) : IAsyncLifetime
{
    private static readonly DateTimeOffset Opened = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);
    private static readonly DateTimeOffset DueBy = Opened.AddDays(7);
    private readonly DisputeTraffic _traffic = new();
    private CrmClient _tenant = null!;
    private IDisposable? _consumed;
    private IDisposable? _published;

    public async Task InitializeAsync()
    {
        _tenant = await gateway.NewStripeTenantAsync("Disputed Goods Ltd");
        var bus = gateway.Services.GetRequiredService<IBus>();
        _consumed = bus.ConnectConsumeObserver(_traffic);
        _published = bus.ConnectPublishObserver(_traffic);
    }

    public Task DisposeAsync()
    {
        _consumed?.Dispose();
        _published?.Dispose();
        _tenant.Dispose();
        return Task.CompletedTask;
    }

    private Guid TenantId => _tenant.Tenant.TenantId;

    /// <summary>A payment of 10.00 USD that succeeded through its webhook, known to Stripe as <paramref name="intentId"/>.</summary>
    private async Task<Guid> SucceededPaymentAsync(CrmClient tenant, string intentId)
    {
        var id = Id(await CreateStripePaymentAsync(tenant));
        var succeeded = StripeEvent("evt_pay_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", tenant.Tenant.TenantId, id, intentId);
        await AckAsync(await gateway.PostStripeEventAsync(tenant.Tenant.TenantId, succeeded), "accepted");
        var payment = await PaymentWhenAsync(tenant, id, p => Text(p, "status") == "succeeded" && Text(p, "gateway_reference") == intentId, "the payment to succeed");
        Assert.Empty(payment.GetProperty("disputes").EnumerateArray());
        return id;
    }

    /// <summary>A Stripe dispute event as Stripe sends it, its <c>created</c> at <paramref name="at"/>.</summary>
    private static string DisputeEvent(string eventId, string type, string disputeId, string intentId, string status, DateTimeOffset at) =>
        new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["type"] = type,
            ["created"] = at.ToUnixTimeSeconds(),
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = disputeId,
                    ["object"] = "dispute",
                    ["amount"] = 1000,
                    ["currency"] = "usd",
                    ["charge"] = "ch_" + intentId,
                    ["payment_intent"] = intentId,
                    ["reason"] = "fraudulent",
                    ["status"] = status,
                    ["evidence_details"] = new JsonObject { ["due_by"] = DueBy.ToUnixTimeSeconds(), ["has_evidence"] = false, ["submission_count"] = 0 },
                    ["created"] = Opened.ToUnixTimeSeconds(),
                    ["livemode"] = false,
                    ["metadata"] = new JsonObject(),
                },
            },
        }.ToJsonString();

    /// <summary>Posts a signed dispute event, expects it accepted, and waits until the dispute projection handled it.</summary>
    private async Task DeliverAsync(string type, string disputeId, string intentId, string status, DateTimeOffset at, string? eventId = null)
    {
        eventId ??= "evt_dp_" + Guid.NewGuid().ToString("N");
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, DisputeEvent(eventId, type, disputeId, intentId, status, at)), "accepted");
        await Eventually.MatchAsync(() => Task.FromResult(_traffic.Handled(eventId)), done => done, TimeSpan.FromSeconds(20), $"{type} ({eventId}) to be handled");
    }

    private static JsonElement Dispute(JsonElement payment, string disputeId) =>
        payment.GetProperty("disputes").EnumerateArray().Single(d => Text(d, "id") == disputeId);

    private static long Minor(JsonElement payment, string name) => payment.GetProperty(name).GetProperty("amount_minor").GetInt64();

    private static string NewIntent() => "pi_dp_" + Guid.NewGuid().ToString("N")[..16];

    private static string NewDispute() => "dp_" + Guid.NewGuid().ToString("N")[..16];

    [Fact]
    public async Task A_dispute_should_show_open_then_under_review_then_closed_lost_on_the_payment()
    {
        var intent = NewIntent();
        var disputeId = NewDispute();
        var paymentId = await SucceededPaymentAsync(_tenant, intent);

        await DeliverAsync("charge.dispute.created", disputeId, intent, "needs_response", Opened);
        var opened = await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}");
        var dispute = Dispute(opened, disputeId);
        Assert.Equal(("needs_response", true, "fraudulent"), (Text(dispute, "status"), dispute.GetProperty("open").GetBoolean(), Text(dispute, "reason")));
        Assert.Equal((1000L, "USD", 10.00m), (Minor(dispute, "amount"), Text(dispute.GetProperty("amount"), "currency"), dispute.GetProperty("amount").GetProperty("amount").GetDecimal()));
        Assert.Equal(DueBy, dispute.GetProperty("evidence_due_by").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, dispute.GetProperty("closed_at").ValueKind);
        Assert.False(dispute.GetProperty("funds_withdrawn").GetBoolean());
        Assert.Equal((1000L, "succeeded"), (Minor(opened, "disputed"), Text(opened, "status")));

        await DeliverAsync("charge.dispute.funds_withdrawn", disputeId, intent, "needs_response", Opened.AddSeconds(1));
        await DeliverAsync("charge.dispute.updated", disputeId, intent, "under_review", Opened.AddMinutes(1));
        var reviewed = Dispute(await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}"), disputeId);
        Assert.Equal(("under_review", true, true), (Text(reviewed, "status"), reviewed.GetProperty("open").GetBoolean(), reviewed.GetProperty("funds_withdrawn").GetBoolean()));

        var closedAt = Opened.AddMinutes(2);
        await DeliverAsync("charge.dispute.closed", disputeId, intent, "lost", closedAt);
        var after = await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}");
        var lost = Dispute(after, disputeId);
        Assert.Equal(("lost", false, closedAt), (Text(lost, "status"), lost.GetProperty("open").GetBoolean(), lost.GetProperty("closed_at").GetDateTimeOffset()));
        Assert.Equal(0L, Minor(after, "disputed"));
        Assert.Equal("succeeded", Text(after, "status"));

        // The list shows the dispute too.
        var page = await _tenant.GetAsync("/api/v1/payments?page_size=100");
        var listed = page.GetProperty("items").EnumerateArray().Single(p => Id(p) == paymentId);
        Assert.Equal("lost", Text(Dispute(listed, disputeId), "status"));

        await Eventually.MatchAsync(() => Task.FromResult(_traffic.ClosedCount(disputeId)), n => n == 1, TimeSpan.FromSeconds(20), "PaymentDisputeClosed to be published");
        Assert.Equal(1, _traffic.DisputedCount(disputeId));
        var closed = _traffic.Closed(disputeId);
        Assert.Equal((paymentId, TenantId, "lost", 1000L, "USD", true), (closed.PaymentId, closed.TenantId, closed.Status, closed.AmountMinor, closed.Currency, closed.FundsWithdrawn));
    }

    [Fact]
    public async Task Events_out_of_order_late_and_repeated_should_leave_the_dispute_closed_lost_with_one_row_and_one_PaymentDisputed()
    {
        var intent = NewIntent();
        var disputeId = NewDispute();
        var paymentId = await SucceededPaymentAsync(_tenant, intent);
        var closedAt = Opened.AddMinutes(2);

        // Closed arrives first, then the updated and created it followed.
        await DeliverAsync("charge.dispute.closed", disputeId, intent, "lost", closedAt);
        await DeliverAsync("charge.dispute.updated", disputeId, intent, "under_review", Opened.AddMinutes(1));
        var createdId = "evt_dc_" + Guid.NewGuid().ToString("N");
        await DeliverAsync("charge.dispute.created", disputeId, intent, "needs_response", Opened, createdId);

        // An updated event after the close (a later time, an earlier status) does not reopen it.
        await DeliverAsync("charge.dispute.updated", disputeId, intent, "under_review", Opened.AddMinutes(5));

        // The same created event again: acknowledged as a duplicate, nothing happens.
        var again = DisputeEvent(createdId, "charge.dispute.created", disputeId, intent, "needs_response", Opened);
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, again), "duplicate");

        var after = await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}");
        var lost = Assert.Single(after.GetProperty("disputes").EnumerateArray());
        Assert.Equal((disputeId, "lost", false, closedAt), (Text(lost, "id"), Text(lost, "status"), lost.GetProperty("open").GetBoolean(), lost.GetProperty("closed_at").GetDateTimeOffset()));
        Assert.Equal(0L, Minor(after, "disputed"));
        Assert.Equal(1, await gateway.PlatformScalarAsync(
            "SELECT COUNT(*) FROM payment_webhook_events WHERE event_id = @e AND tenant_id = @t AND payment_id = @p", ("e", createdId), ("t", TenantId.ToString()), ("p", paymentId.ToString())));
        await Eventually.MatchAsync(() => Task.FromResult(_traffic.ClosedCount(disputeId)), n => n == 1, TimeSpan.FromSeconds(20), "PaymentDisputeClosed to be published");
        Assert.Equal(1, _traffic.DisputedCount(disputeId));
        Assert.Equal("lost", _traffic.Disputed(disputeId).Status);
    }

    [Fact]
    public async Task Forged_foreign_and_unknown_dispute_events_should_change_nothing()
    {
        using var other = await gateway.NewStripeTenantAsync("Other Disputes Ltd");
        var theirIntent = NewIntent();
        var theirs = await SucceededPaymentAsync(other, theirIntent);
        var ourIntent = NewIntent();
        var ours = await SucceededPaymentAsync(_tenant, ourIntent);

        var forged = DisputeEvent("evt_fg_" + Guid.NewGuid().ToString("N"), "charge.dispute.created", NewDispute(), ourIntent, "needs_response", Opened);
        var problem = await Responses.ProblemAsync(await gateway.PostStripeEventAsync(TenantId, forged, secret: "whsec_someone_else"), HttpStatusCode.BadRequest);
        Assert.Equal("https://bacbos.dev/problems/webhook-signature-invalid", Text(problem, "type"));

        // Their intent on our route: not a payment of ours; their payment stays theirs (404 for us) and undisputed.
        var foreign = DisputeEvent("evt_fr_" + Guid.NewGuid().ToString("N"), "charge.dispute.created", NewDispute(), theirIntent, "needs_response", Opened);
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, foreign), "ignored");
        var unknown = DisputeEvent("evt_uk_" + Guid.NewGuid().ToString("N"), "charge.dispute.created", NewDispute(), "pi_unknown_" + Guid.NewGuid().ToString("N")[..8], "needs_response", Opened);
        await AckAsync(await gateway.PostStripeEventAsync(TenantId, unknown), "ignored");

        using var notOurs = await _tenant.SendAsync(HttpMethod.Get, $"/api/v1/payments/{theirs:D}");
        Assert.Equal(HttpStatusCode.NotFound, notOurs.StatusCode);
        Assert.Empty((await other.GetAsync($"/api/v1/payments/{theirs:D}")).GetProperty("disputes").EnumerateArray());
        var ourPayment = await _tenant.GetAsync($"/api/v1/payments/{ours:D}");
        Assert.Empty(ourPayment.GetProperty("disputes").EnumerateArray());
        Assert.Equal(0L, Minor(ourPayment, "disputed"));
    }

    [Fact]
    public async Task A_paystack_dispute_should_show_open_then_won_and_a_late_reminder_should_change_nothing()
    {
        const string key = "sk_test_disputes_paystack";
        await gateway.SealAsync(TenantId, TenantCredentials.PaystackSecretKey, key);
        var paymentId = await SucceededPaymentAsync(_tenant, NewIntent());
        var path = $"/api/v1/webhooks/paystack/{TenantId:D}";

        async Task<string> PostAsync(string type, string status, string? resolution, string updatedAt)
        {
            var data = new JsonObject
            {
                ["id"] = 358950,
                ["refund_amount"] = 0,
                ["currency"] = "USD",
                ["status"] = status,
                ["resolution"] = resolution,
                ["category"] = "fraud",
                ["transaction"] = new JsonObject { ["reference"] = paymentId.ToString("D"), ["amount"] = 1000 },
                ["dueAt"] = DueBy.ToString("O"),
                ["resolvedAt"] = resolution is null ? null : updatedAt,
                ["createdAt"] = Opened.ToString("O"),
                ["updatedAt"] = updatedAt,
            };
            var body = new JsonObject { ["event"] = type, ["data"] = data }.ToJsonString();
            var ack = await AckAsync(await gateway.PostWebhookAsync(path, body, ("x-paystack-signature", WebhookSignatures.PaystackHeader(Encoding.UTF8.GetBytes(body), key))), "accepted");
            var eventId = Text(ack, "event_id")!;
            await Eventually.MatchAsync(() => Task.FromResult(_traffic.Handled(eventId)), done => done, TimeSpan.FromSeconds(20), $"{type} to be handled");
            return eventId;
        }

        await PostAsync("charge.dispute.create", "awaiting-merchant-feedback", null, Opened.ToString("O"));
        var open = Dispute(await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}"), "358950");
        Assert.Equal(("needs_response", "fraud", 1000L, DueBy), (Text(open, "status"), Text(open, "reason"), Minor(open, "amount"), open.GetProperty("evidence_due_by").GetDateTimeOffset()));

        await PostAsync("charge.dispute.resolve", "resolved", "declined", Opened.AddDays(2).ToString("O"));
        await PostAsync("charge.dispute.remind", "awaiting-merchant-feedback", null, Opened.AddDays(3).ToString("O"));
        var after = await _tenant.GetAsync($"/api/v1/payments/{paymentId:D}");
        var won = Dispute(after, "358950");
        Assert.Equal(("won", false, Opened.AddDays(2)), (Text(won, "status"), won.GetProperty("open").GetBoolean(), won.GetProperty("closed_at").GetDateTimeOffset()));
        Assert.Equal(0L, Minor(after, "disputed"));
    }

    /// <summary>The dispute events the projection finished (by Stripe event id) and the dispute events published.</summary>
    private sealed class DisputeTraffic : IConsumeObserver, IPublishObserver
    {
        private readonly ConcurrentDictionary<string, bool> _handled = new();
        private readonly ConcurrentQueue<PaymentDisputed> _disputed = new();
        private readonly ConcurrentQueue<PaymentDisputeClosed> _closed = new();

        public bool Handled(string eventId) => _handled.ContainsKey(eventId);

        public int DisputedCount(string disputeId) => _disputed.Count(d => d.DisputeId == disputeId);

        public PaymentDisputed Disputed(string disputeId) => _disputed.Single(d => d.DisputeId == disputeId);

        public int ClosedCount(string disputeId) => _closed.Count(d => d.DisputeId == disputeId);

        public PaymentDisputeClosed Closed(string disputeId) => _closed.Single(d => d.DisputeId == disputeId);

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            if (context.Message is RecordPaymentDispute m)
            {
                _handled[m.EventId] = true;
            }

            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;

        public Task PrePublish<T>(PublishContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context)
            where T : class
        {
            switch (context.Message)
            {
                case PaymentDisputed disputed:
                    _disputed.Enqueue(disputed);
                    break;
                case PaymentDisputeClosed closed:
                    _closed.Enqueue(closed);
                    break;
            }

            return Task.CompletedTask;
        }

        public Task PublishFault<T>(PublishContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}

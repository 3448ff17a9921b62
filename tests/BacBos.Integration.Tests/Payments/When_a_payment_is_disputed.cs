using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Invoicing;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// A chargeback across the gateway and worker processes on real RabbitMQ and PostgreSQL with the Stripe double: a
/// payment paid through Stripe.net and invoiced, then Stripe's signed <c>charge.dispute.created</c> (twice),
/// <c>charge.dispute.funds_withdrawn</c> and <c>charge.dispute.closed</c> (lost) delivered out of order → the payment shows
/// the dispute closed lost, <see cref="PaymentDisputed"/> and <see cref="PaymentDisputeClosed"/> are published once each,
/// and the invoice is left as it was (no accounting for a lost dispute).
/// </summary>
public sealed class When_a_payment_is_disputed(PaymentInvoicingSystem system) : IClassFixture<PaymentInvoicingSystem>
{
    private static string DisputeEvent(string type, string disputeId, string intentId, string status, DateTimeOffset at) =>
        new JsonObject
        {
            ["id"] = "evt_" + Guid.NewGuid().ToString("N"),
            ["object"] = "event",
            ["type"] = type,
            ["created"] = at.ToUnixTimeSeconds(),
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = disputeId,
                    ["object"] = "dispute",
                    ["amount"] = 2000,
                    ["currency"] = "usd",
                    ["payment_intent"] = intentId,
                    ["reason"] = "product_not_received",
                    ["status"] = status,
                    ["evidence_details"] = new JsonObject { ["due_by"] = at.AddDays(7).ToUnixTimeSeconds() },
                    ["created"] = at.ToUnixTimeSeconds(),
                },
            },
        }.ToJsonString();

    private async Task<string> PostAsync(string body)
    {
        var signature = WebhookSignatures.StripeHeader(Encoding.UTF8.GetBytes(body), system.StripeWebhookSecret, DateTimeOffset.UtcNow);
        var (status, answer) = await system.PostWebhookAsync($"/api/v1/webhooks/stripe/{system.TenantId:D}", body, "Stripe-Signature", signature);
        Assert.True(status == HttpStatusCode.OK, answer);
        return answer;
    }

    [Fact]
    public async Task The_payment_should_show_the_dispute_closed_lost_with_each_event_published_once_and_its_invoice_unchanged()
    {
        var created = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", new JsonObject
        {
            ["amount"] = 20.00m,
            ["currency"] = "USD",
            ["gateway"] = "stripe",
            ["payment_method"] = "pm_card_threeDSecure2Required",
            ["description"] = "Disputed veg box",
            ["customer"] = new JsonObject { ["name"] = "Chidi Obi", ["email"] = $"chidi-{Guid.NewGuid():N}@example.com" },
        });
        var id = created.GetProperty("id").GetGuid();
        var intent = created.GetProperty("gateway_reference").GetString()!;
        await system.SucceedThroughWebhookTwiceAsync(intent);
        await system.PaymentWhenAsync(id, "succeeded");
        var invoices = await InvoicingSystem.EmailedAsync(() => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?kind=invoice"), "the invoice", system.Diagnostics);
        var invoiceId = Assert.Single(invoices.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();

        // Stripe's events about one dispute, the close first and the opening twice.
        var disputeId = "dp_" + Guid.NewGuid().ToString("N")[..14];
        var opened = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600);
        var closedAt = opened.AddMinutes(5);
        Assert.Contains("\"accepted\"", await PostAsync(DisputeEvent("charge.dispute.closed", disputeId, intent, "lost", closedAt)), StringComparison.Ordinal);
        var createdEvent = DisputeEvent("charge.dispute.created", disputeId, intent, "needs_response", opened);
        Assert.Contains("\"accepted\"", await PostAsync(createdEvent), StringComparison.Ordinal);
        Assert.Contains("\"duplicate\"", await PostAsync(createdEvent), StringComparison.Ordinal);
        Assert.Contains("\"accepted\"", await PostAsync(DisputeEvent("charge.dispute.funds_withdrawn", disputeId, intent, "needs_response", opened.AddSeconds(1))), StringComparison.Ordinal);

        var closed = await system.EventuallyAsync(() => system.Recorded<PaymentDisputeClosed>().FirstOrDefault(e => e.DisputeId == disputeId), "PaymentDisputeClosed");
        Assert.Equal((id, "lost", 2000L, "USD", closedAt), (closed.PaymentId, closed.Status, closed.AmountMinor, closed.Currency, closed.ClosedAt));
        var disputed = await system.EventuallyAsync(() => system.Recorded<PaymentDisputed>().FirstOrDefault(e => e.DisputeId == disputeId), "PaymentDisputed");
        Assert.Equal((id, system.TenantId, "product_not_received"), (disputed.PaymentId, disputed.TenantId, disputed.Reason));

        var payment = await Eventually.MatchAsync(
            () => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/payments/{id:D}"),
            p => p.GetProperty("disputes").EnumerateArray().Any(d => d.GetProperty("funds_withdrawn").GetBoolean()),
            TimeSpan.FromSeconds(30),
            "the withdrawn funds recorded on the dispute",
            diagnostics: system.Diagnostics);
        var dispute = Assert.Single(payment.GetProperty("disputes").EnumerateArray());
        Assert.Equal((disputeId, "lost", false, closedAt), (dispute.GetProperty("id").GetString(), dispute.GetProperty("status").GetString(), dispute.GetProperty("open").GetBoolean(), dispute.GetProperty("closed_at").GetDateTimeOffset()));
        Assert.Equal((0L, "succeeded"), (payment.GetProperty("disputed").GetProperty("amount_minor").GetInt64(), payment.GetProperty("status").GetString()));

        Assert.Single(system.Recorded<PaymentDisputed>(), e => e.DisputeId == disputeId);
        Assert.Single(system.Recorded<PaymentDisputeClosed>(), e => e.DisputeId == disputeId);
        Assert.Equal("paid", (await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/invoices/{invoiceId:D}")).GetProperty("status").GetString());
        Assert.Equal(0, (await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?kind=credit_note")).GetProperty("total").GetInt64());
    }
}

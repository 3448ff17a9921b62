using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Doubles.Stripe;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Invoicing;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// A refund that Stripe reports failed days later, across the gateway and worker processes on real RabbitMQ and
/// PostgreSQL with the Stripe double: payment → invoice → refund through Stripe.net → credit note → Stripe marks the
/// refund failed and posts <c>refund.failed</c> (twice) and <c>charge.refund.updated</c> → the refund is reversed and
/// the refunded total restored, <see cref="PaymentRefundReversed"/> is published once, and the credit note is void
/// (its number kept, a new PDF revision saying so) with its invoice paid again.
/// </summary>
public sealed class When_a_refund_fails_after_the_fact(PaymentInvoicingSystem system) : IClassFixture<PaymentInvoicingSystem>
{
    private static string? Text(JsonElement e, string name) => e.GetProperty(name).GetString();

    [Fact]
    public async Task The_refund_should_be_reversed_once_and_its_credit_note_voided()
    {
        var email = $"bola-{Guid.NewGuid():N}@example.com";
        var created = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", new JsonObject
        {
            ["amount"] = 20.00m,
            ["currency"] = "USD",
            ["gateway"] = "stripe",
            ["payment_method"] = "pm_card_threeDSecure2Required",
            ["description"] = "Monthly veg box",
            ["customer"] = new JsonObject { ["name"] = "Bola Ade", ["email"] = email },
        });
        var id = created.GetProperty("id").GetGuid();
        await system.SucceedThroughWebhookTwiceAsync(created.GetProperty("gateway_reference").GetString()!);
        await system.PaymentWhenAsync(id, "succeeded");
        var invoices = await InvoicingSystem.EmailedAsync(() => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?kind=invoice"), "the invoice", system.Diagnostics);
        var invoiceId = Assert.Single(invoices.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();

        var refund = await system.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/payments/{id:D}/refunds", new JsonObject { ["amount"] = 5m, ["reason"] = "late delivery" });
        var refundId = refund.GetProperty("id").GetGuid();
        var refunded = await system.EventuallyAsync(() => system.Recorded<PaymentRefunded>().FirstOrDefault(e => e.RefundId == refundId), "PaymentRefunded");
        var credits = await InvoicingSystem.EmailedAsync(() => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?kind=credit_note"), "the credit note", system.Diagnostics);
        var creditId = Assert.Single(credits.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal("partially_refunded", Text(await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/invoices/{invoiceId:D}"), "status"));
        var stripeRefund = Assert.Single(system.Doubles.Stripe.Account(system.Doubles.StripeKey).State<StripePaymentIntentStore>().Refunds());
        Assert.Equal(refundId.ToString("D"), stripeRefund["metadata"]!["refund_id"]!.GetValue<string>());

        // Days later the card network sends the money back: Stripe marks the refund failed and tells us, more than once.
        StripePaymentIntents.FailRefund(system.Doubles.Stripe, system.Doubles.StripeKey, refunded.GatewayReference, "expired_or_canceled_card");
        var path = $"/api/v1/webhooks/stripe/{system.TenantId:D}";
        var (failed, signature) = StripePaymentIntents.RefundEvent(system.Doubles.Stripe, system.Doubles.StripeKey, refunded.GatewayReference, "refund.failed", system.StripeWebhookSecret);
        Assert.Contains("\"accepted\"", (await system.PostWebhookAsync(path, failed, "Stripe-Signature", signature)).Body, StringComparison.Ordinal);
        Assert.Contains("\"duplicate\"", (await system.PostWebhookAsync(path, failed, "Stripe-Signature", signature)).Body, StringComparison.Ordinal);
        var (updated, updatedSignature) = StripePaymentIntents.RefundEvent(system.Doubles.Stripe, system.Doubles.StripeKey, refunded.GatewayReference, "charge.refund.updated", system.StripeWebhookSecret);
        Assert.Contains("\"accepted\"", (await system.PostWebhookAsync(path, updated, "Stripe-Signature", updatedSignature)).Body, StringComparison.Ordinal);

        var reversed = await system.EventuallyAsync(() => system.Recorded<PaymentRefundReversed>().FirstOrDefault(e => e.RefundId == refundId), "PaymentRefundReversed");
        Assert.Equal((500L, "USD", "Stripe refund failed: expired_or_canceled_card"), (reversed.AmountMinor, reversed.Currency, reversed.Reason));
        var payment = await Eventually.MatchAsync(
            () => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/payments/{id:D}"),
            p => p.GetProperty("refunds")[0].GetProperty("status").GetString() == "reversed",
            TimeSpan.FromSeconds(20),
            "the refund reversed",
            diagnostics: system.Diagnostics);
        Assert.Equal((0L, 2000L), (payment.GetProperty("refunded").GetProperty("amount_minor").GetInt64(), payment.GetProperty("refundable").GetProperty("amount_minor").GetInt64()));

        // The credit note is void, keeps its number, and its void revision is rendered and stored; the invoice is paid again.
        var credit = await Eventually.MatchAsync(
            () => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/invoices/{creditId:D}"),
            c => Text(c, "status") == "void" && c.GetProperty("delivery").GetProperty("pdf_stored").GetBoolean() && c.GetProperty("delivery").GetProperty("pdf_revision").GetInt32() == 2,
            TimeSpan.FromSeconds(20),
            "the credit note voided and its void revision stored",
            diagnostics: system.Diagnostics);
        Assert.Equal(("CN-000001", "Stripe refund failed: expired_or_canceled_card"), (Text(credit, "number"), Text(credit, "void_reason")));
        Assert.Contains("VOID", await InvoicingSystem.PdfTextAsync(await InvoicingSystem.S3ObjectAsync(system.TenantId, "invoices/CN-000001/r2.pdf")), StringComparison.Ordinal);
        Assert.Equal("paid", Text(await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/invoices/{invoiceId:D}"), "status"));

        // Three deliveries about one failure (one a duplicate): one reversal.
        Assert.Single(system.Recorded<PaymentRefundReversed>(), e => e.RefundId == refundId);
    }
}

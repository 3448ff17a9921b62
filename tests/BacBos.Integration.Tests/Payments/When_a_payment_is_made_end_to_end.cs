using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Invoicing;
using MimeKit;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// <see cref="PaymentSystem"/> with invoicing's servers as well (S3 on s3rver, SMTP through aiosmtpd) in both processes,
/// and a confirmation deadline long enough that the webhook, not the verification poll, completes the payment.
/// </summary>
public sealed class PaymentInvoicingSystem : PaymentSystem
{
    protected override void ConfigureGateway(IDictionary<string, string> environment)
    {
        base.ConfigureGateway(environment);
        InvoicingSplitSystem.Servers(environment);
    }

    protected override void ConfigureWorker(IDictionary<string, string> environment)
    {
        base.ConfigureWorker(environment);
        InvoicingSplitSystem.Servers(environment);
        environment["Payments__ConfirmationDeadline"] = "00:10:00";
    }
}

/// <summary>
/// The issue's acceptance, the seed's payment workflow end to end with the gateway and the worker as separate OS processes
/// on real RabbitMQ + PostgreSQL, s3rver and aiosmtpd, and the Stripe double: POST /api/v1/payments → a PaymentIntent
/// through Stripe.net (3-D Secure) → the signed <c>payment_intent.succeeded</c> webhook (twice) → PaymentCompleted →
/// INV-000001 with its tax → its PDF in the tenant's bucket and through the API → one email with the same PDF attached;
/// then a partial refund → CN-000001, stored and emailed; and a Paystack checkout in naira → INV-000002, emailed.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_a_payment_is_made_end_to_end(PaymentInvoicingSystem system, ITestOutputHelper output) : IClassFixture<PaymentInvoicingSystem>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private void Step(string what) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.00} s] {what}");

    [Fact]
    public async Task Stripe_and_paystack_payments_should_become_paid_invoices_stored_and_emailed_once_and_a_partial_refund_a_credit_note()
    {
        var email = $"ada-{Guid.NewGuid():N}@example.com";
        var key = "order-" + Guid.NewGuid().ToString("N");
        var request = new JsonObject
        {
            ["amount"] = 49.99m,
            ["currency"] = "USD",
            ["gateway"] = "stripe",
            ["payment_method"] = "pm_card_threeDSecure2Required",
            ["description"] = "Weekly veg box x4",
            ["customer"] = new JsonObject { ["name"] = "Ada Obi", ["email"] = email },
        };
        Step($"tenant {system.TenantId:D} (NG, VAT 7.5 %), POST /api/v1/payments Idempotency-Key {key}: {request.ToJsonString()}");

        // Request → intent: Stripe.net creates the PaymentIntent on the double, which asks for 3-D Secure.
        var created = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", request, key);
        Step($"201 {created}");
        var id = created.GetProperty("id").GetGuid();
        var intentId = created.GetProperty("gateway_reference").GetString()!;
        Assert.Equal(("stripe", "requires_action"), (created.GetProperty("gateway").GetString(), created.GetProperty("status").GetString()));
        Assert.Equal("use_stripe_sdk", created.GetProperty("next_action").GetProperty("type").GetString());
        Assert.Single(system.Doubles.Stripe.Requests, r => r.Method == "POST" && r.Path == "/v1/payment_intents" && r.Body.Contains(id.ToString("D"), StringComparison.Ordinal));

        // Webhook: the customer passes 3-D Secure; Stripe posts the signed event to the tenant's route, and posts it again.
        var delivered = await system.SucceedThroughWebhookTwiceAsync(intentId);
        Step($"POST {delivered.Path} (Stripe-Signature t=…,v1=…) → {(int)delivered.First.Status} {delivered.First.Body}; again → {(int)delivered.Again.Status} {delivered.Again.Body}");

        // Completed: the event on the bus and the payment through the API.
        var completed = await system.EventuallyAsync(() => system.Recorded<PaymentCompleted>().FirstOrDefault(e => e.PaymentId == id), "PaymentCompleted");
        Assert.Equal((intentId, 4999L, "USD", email), (completed.GatewayReference, completed.AmountMinor, completed.Currency, completed.CustomerEmail));
        var succeeded = await system.PaymentWhenAsync(id, "succeeded");
        Step($"PaymentCompleted on RabbitMQ; GET /api/v1/payments/{id:D} → status {succeeded.GetProperty("status").GetString()}, completed_at {succeeded.GetProperty("completed_at").GetString()}");

        // Invoice: paid, numbered, the payment's amount as one line with Nigerian VAT extracted from it, emailed.
        var page = await InvoicingSystem.EmailedAsync(() => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?kind=invoice"), "the invoice, stored and emailed", system.Diagnostics);
        var listed = Assert.Single(page.GetProperty("items").EnumerateArray());
        var invoiceId = listed.GetProperty("id").GetGuid();
        var invoice = await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/invoices/{invoiceId:D}");
        Step($"GET /api/v1/invoices/{invoiceId:D} → {invoice}");
        Assert.Equal(("INV-000001", "paid", "USD"), (Text(invoice, "number"), Text(invoice, "status"), Text(invoice, "currency")));
        Assert.Equal(("46.50", "3.49", "49.99"), (Raw(invoice, "net"), Raw(invoice, "tax"), Raw(invoice, "total")));
        var line = Assert.Single(invoice.GetProperty("lines").EnumerateArray());
        Assert.Equal(("Weekly veg box x4", "49.99", "7.5", true), (Text(line, "description"), Raw(line, "amount"), Raw(line, "tax_rate_percent"), line.GetProperty("tax_inclusive").GetBoolean()));
        var tax = Assert.Single(invoice.GetProperty("taxes").EnumerateArray());
        Assert.Equal(("46.50", "3.49"), (Raw(tax, "net"), Raw(tax, "tax")));
        var payment = invoice.GetProperty("payment");
        Assert.Equal((id, "stripe", intentId, "49.99"), (payment.GetProperty("payment_id").GetGuid(), Text(payment, "gateway"), Text(payment, "reference"), Raw(payment, "amount")));

        // The PDF: in the tenant's bucket on s3rver, served by the gateway with the same bytes, and its text holds the figures.
        var stored = await InvoicingSystem.S3ObjectAsync(system.TenantId, "invoices/INV-000001/r1.pdf");
        using (var served = await system.Tenant.GetAsync($"/api/v1/invoices/{invoiceId:D}/pdf"))
        {
            Assert.Equal((HttpStatusCode.OK, "application/pdf"), (served.StatusCode, served.Content.Headers.ContentType?.MediaType));
            Assert.Equal(stored, await served.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(invoice.GetProperty("delivery").GetProperty("pdf_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(stored)));
        var text = await InvoicingSystem.PdfTextAsync(stored);
        Assert.Contains("Invoice INV-000001", text, StringComparison.Ordinal);
        Assert.Contains("Weekly veg box x4", text, StringComparison.Ordinal);
        Assert.Contains("VAT standard 7.5 % (included) on 46.50", text, StringComparison.Ordinal);
        Assert.Matches(@"Total USD\s+49\.99", text);
        Assert.Contains(intentId, text, StringComparison.Ordinal);
        Step($"PDF {stored.Length} bytes in bucket and through GET …/pdf; pdftotext holds INV-000001, the line, VAT 3.49 on 46.50, total USD 49.99, {intentId}");

        // The email: exactly one for the invoice, with the very PDF attached.
        var mail = Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        Assert.Contains("INV-000001", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(intentId, mail.TextBody, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal(("INV-000001.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType.MimeType));
        Assert.Equal(stored, await InvoicingSystem.BytesAsync(attachment));
        Step($"email \"{mail.Subject}\" to {email} with INV-000001.pdf ({stored.Length} bytes, same as stored)");

        // A partial refund: through Stripe, then a credit note of its own series, stored and emailed.
        var refund = await system.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/payments/{id:D}/refunds", new JsonObject { ["amount"] = 10m, ["reason"] = "one box missing" });
        Step($"POST /api/v1/payments/{id:D}/refunds {{amount 10}} → 202 {refund}");
        var refundId = refund.GetProperty("id").GetGuid();
        var refunded = await system.EventuallyAsync(() => system.Recorded<PaymentRefunded>().FirstOrDefault(e => e.RefundId == refundId), "PaymentRefunded");
        Assert.Equal((1000L, false), (refunded.AmountMinor, refunded.FullRefund));
        var credits = await InvoicingSystem.EmailedAsync(() => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?kind=credit_note"), "the credit note, stored and emailed", system.Diagnostics);
        var credit = Assert.Single(credits.GetProperty("items").EnumerateArray());
        Assert.Equal(("CN-000001", "9.30", "0.70", "10.00"), (Text(credit, "number"), Raw(credit, "net"), Raw(credit, "tax"), Raw(credit, "total")));
        Assert.Equal((invoiceId, refundId), (credit.GetProperty("credited_invoice_id").GetGuid(), credit.GetProperty("refund_id").GetGuid()));
        var creditText = await InvoicingSystem.PdfTextAsync(await InvoicingSystem.S3ObjectAsync(system.TenantId, "invoices/CN-000001/r1.pdf"));
        Assert.Contains("Credit for invoice INV-000001", creditText, StringComparison.Ordinal);
        var mails = await InvoicingSystem.MailAsync(email, 2);
        Assert.Equal("CN-000001.pdf", Assert.Single(Assert.Single(mails, m => m.Subject!.Contains("CN-000001", StringComparison.Ordinal)).Attachments).ContentDisposition!.FileName);
        Step($"credit note CN-000001 ({credit.GetProperty("id").GetGuid():D}): net 9.30 + tax 0.70 = 10.00, emailed");

        // Nothing doubled: one completion, one invoice (now partially refunded), one invoice email, one charge.
        var after = await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/invoices/{invoiceId:D}");
        Assert.Equal("partially_refunded", Text(after, "status"));
        Assert.Equal(1, (await system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?kind=invoice")).GetProperty("total").GetInt32());
        Assert.Single(system.Recorded<PaymentCompleted>(), e => e.PaymentId == id);
        Assert.Equal(2, InvoicingSystem.Mailbox(email).Count);
        Assert.Single(system.Doubles.Stripe.Requests, r => r.Method == "POST" && r.Path == "/v1/payment_intents");

        // Paystack too: an NGN checkout, routed automatically, confirmed through the platform webhook → INV-000002, emailed.
        var checkout = await system.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/payments", new JsonObject
        {
            ["amount"] = 12500,
            ["currency"] = "NGN",
            ["description"] = "Monthly veg box",
            ["customer"] = new JsonObject { ["name"] = "Ada Obi", ["email"] = email },
        }, "order-" + Guid.NewGuid().ToString("N"));
        var checkoutId = checkout.GetProperty("id").GetGuid();
        Assert.Equal(("paystack", "awaiting_payment"), (Text(checkout, "gateway"), Text(checkout, "status")));
        var (paystackBody, paystackSignature) = system.Doubles.Transactions.Pay(checkoutId.ToString("D"), system.Doubles.PaystackKey);
        var paystackHook = await system.PostWebhookAsync("/api/v1/webhooks/paystack", paystackBody, "x-paystack-signature", paystackSignature);
        Assert.True(paystackHook.Status == HttpStatusCode.OK, paystackHook.Body);
        var naira = Assert.Single((await InvoicingSystem.EmailedAsync(
            () => system.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/invoices?currency=NGN"), "the Paystack payment's invoice, stored and emailed", system.Diagnostics))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(("INV-000002", "11627.91", "872.09", "12500.00"), (Text(naira, "number"), Raw(naira, "net"), Raw(naira, "tax"), Raw(naira, "total")));
        Assert.Equal(3, (await InvoicingSystem.MailAsync(email, 3)).Count);
        Step($"Paystack payment {checkoutId:D} → POST /api/v1/webhooks/paystack {(int)paystackHook.Status} → INV-000002 NGN 12500.00 (VAT 872.09), emailed");
        Step($"done: payment {id:D}, intent {intentId}, invoice {invoiceId:D} INV-000001, refund {refundId:D} CN-000001, Paystack {checkoutId:D} INV-000002, 3 emails");
    }

    private static string? Text(JsonElement e, string name) => e.GetProperty(name).GetString();

    private static string Raw(JsonElement e, string name) => e.GetProperty(name).GetRawText();
}

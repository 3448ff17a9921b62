using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Payments;
using MimeKit;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// PaymentCompleted → a paid invoice with tax, its PDF in s3rver and one email with it attached — however often the
/// message arrives — and PaymentRefunded → a credit note of its own series, also stored and emailed once. Recording
/// queues the document's <c>DeliverInvoice</c> (once, however often the message arrives); the test delivers the outbox.
/// </summary>
public sealed class When_a_payment_completes(InvoicingSystem system) : IClassFixture<InvoicingSystem>
{
    private static PaymentCompleted Payment(Guid tenantId, string email, long amountMinor = 12000, string currency = "GBP") => new(
        tenantId, Guid.NewGuid(), "stripe", $"pi_{Guid.NewGuid():N}"[..27], amountMinor, currency, null, null, null, "Annual support plan",
        null, "Ada Lovelace", email, null, null, new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task Redelivered_and_duplicated_messages_should_make_one_invoice_one_pdf_and_one_email()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"ada-{Guid.NewGuid():N}@example.com";
        var payment = Payment(tenantId, email);

        // The same event three times: twice at once (a duplicate publish), then once more later (a redelivery).
        var first = await Task.WhenAll(system.DeliverAsync(payment), system.DeliverAsync(payment));
        var again = await system.DeliverAsync(payment);

        // Recorded once, so one delivery queued with it; the repeats queue none.
        await system.AssertDeliveredAsync(1);

        var invoice = Assert.Single(await system.DocumentsAsync(tenantId));
        Assert.Equal(("INV-000001", InvoiceKinds.Invoice, InvoiceKinds.Paid), (invoice.Number, invoice.Kind, invoice.Status));
        Assert.Equal((10000L, 2000L, 12000L), (invoice.NetMinor, invoice.TaxMinor, invoice.TotalMinor));
        Assert.Equal((payment.PaymentId, payment.GatewayReference, 12000L), (invoice.PaymentId!.Value, invoice.PaymentReference!, invoice.PaidMinor!.Value));
        Assert.Equal((1, 1, "sent"), (invoice.PdfStoredRevision, invoice.EmailedRevision, invoice.EmailStatus!));
        Assert.Null(again);
        Assert.Contains(first, e => e is null);

        var pdf = await InvoicingSystem.S3ObjectAsync(tenantId, invoice.PdfKey!);
        Assert.Equal(invoice.PdfSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)));
        var text = await InvoicingSystem.PdfTextAsync(pdf);
        Assert.Contains("Invoice INV-000001", text, StringComparison.Ordinal);
        Assert.Contains("Annual support plan", text, StringComparison.Ordinal);
        Assert.Contains("VAT standard 20 % (included) on 100.00", text, StringComparison.Ordinal);
        Assert.Matches(@"Total GBP\s+120\.00", text);
        Assert.Contains(payment.GatewayReference, text, StringComparison.Ordinal);

        var mail = Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        Assert.Contains("INV-000001", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(payment.GatewayReference, mail.TextBody, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal(("INV-000001.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType.MimeType));
        Assert.Equal(pdf, await InvoicingSystem.BytesAsync(attachment));
    }

    [Fact]
    public async Task A_refund_should_make_one_credit_note_and_one_email_and_wait_for_its_invoice()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"grace-{Guid.NewGuid():N}@example.com";
        var payment = Payment(tenantId, email);
        var refund = new PaymentRefunded(tenantId, payment.PaymentId, Guid.NewGuid(), "stripe", "re_123", 3000, "GBP", "Damaged in transit", false, payment.CompletedAt.AddDays(2));

        // Out of order: the refund before its payment fails (transiently: the endpoint's retries bring it back) and writes nothing.
        Assert.IsType<InvoiceNotYetRecordedException>(await system.DeliverAsync(refund));
        Assert.Empty(await system.DocumentsAsync(tenantId));

        Assert.Null(await system.DeliverAsync(payment));
        Assert.Null(await system.DeliverAsync(refund));
        Assert.Null(await system.DeliverAsync(refund));
        await system.AssertDeliveredAsync(2);

        var documents = await system.DocumentsAsync(tenantId);
        var credit = Assert.Single(documents, d => d.Kind == InvoiceKinds.CreditNote);
        var invoice = Assert.Single(documents, d => d.Kind == InvoiceKinds.Invoice);
        Assert.Equal(("CN-000001", invoice.Id, InvoiceKinds.PartiallyRefunded), (credit.Number, credit.CreditedInvoiceId!.Value, invoice.Status));
        Assert.Equal((2500L, 500L, 3000L), (credit.NetMinor, credit.TaxMinor, credit.TotalMinor));

        var text = await InvoicingSystem.PdfTextAsync(await InvoicingSystem.S3ObjectAsync(tenantId, credit.PdfKey!));
        Assert.Contains("Credit note CN-000001", text, StringComparison.Ordinal);
        Assert.Contains("Credit for invoice INV-000001", text, StringComparison.Ordinal);
        Assert.Contains("Damaged in transit", text, StringComparison.Ordinal);

        var mails = await InvoicingSystem.MailAsync(email, 2);
        Assert.Equal(2, mails.Count);
        var creditMail = Assert.Single(mails, m => m.Subject!.Contains("CN-000001", StringComparison.Ordinal));
        Assert.Equal("CN-000001.pdf", Assert.Single(creditMail.Attachments).ContentDisposition!.FileName);

        // The rest of the payment, as a full refund: the credit notes now add up to the invoice.
        Assert.Null(await system.DeliverAsync(refund with { RefundId = Guid.NewGuid(), AmountMinor = 9000, FullRefund = true }));
        await system.AssertDeliveredAsync(1);
        var after = await system.DocumentsAsync(tenantId);
        Assert.Equal(["INV-000001", "CN-000001", "CN-000002"], after.OrderBy(d => d.CreatedAt).Select(d => d.Number));
        Assert.Equal(12000, after.Where(d => d.Kind == InvoiceKinds.CreditNote).Sum(d => d.TotalMinor));
        Assert.Equal(2000, after.Where(d => d.Kind == InvoiceKinds.CreditNote).Sum(d => d.TaxMinor));
        Assert.Equal(InvoiceKinds.Refunded, Assert.Single(after, d => d.Kind == InvoiceKinds.Invoice).Status);
    }

    [Fact]
    public async Task A_reversed_refund_should_void_its_credit_note_once_and_wait_for_it()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"kemi-{Guid.NewGuid():N}@example.com";
        var payment = Payment(tenantId, email);
        var refund = new PaymentRefunded(tenantId, payment.PaymentId, Guid.NewGuid(), "stripe", "re_void", 3000, "GBP", "Wrong size", false, payment.CompletedAt.AddDays(1));
        var reversed = new PaymentRefundReversed(tenantId, payment.PaymentId, refund.RefundId, "stripe", "re_void", 3000, "GBP", "Stripe refund failed: lost_or_stolen_card", payment.CompletedAt.AddDays(9));
        Assert.Null(await system.DeliverAsync(payment));
        await system.AssertDeliveredAsync(1);

        // Out of order: the reversal before its credit note fails transiently and writes (and queues) nothing.
        Assert.IsType<InvoiceNotYetRecordedException>(await system.DeliverAsync(reversed));
        Assert.Null(await system.DeliverAsync(refund));
        await system.AssertDeliveredAsync(1);
        Assert.Null(await system.DeliverAsync(reversed));
        Assert.Null(await system.DeliverAsync(reversed));
        await system.AssertDeliveredAsync(1);

        var documents = await system.DocumentsAsync(tenantId);
        var credit = Assert.Single(documents, d => d.Kind == InvoiceKinds.CreditNote);
        Assert.Equal(("CN-000001", InvoiceKinds.Void, reversed.Reason, reversed.ReversedAt), (credit.Number, credit.Status, credit.VoidReason, credit.VoidedAt!.Value));
        Assert.Equal((2, 2), (credit.PdfRevision, credit.PdfStoredRevision));
        Assert.Contains("VOID", await InvoicingSystem.PdfTextAsync(await InvoicingSystem.S3ObjectAsync(tenantId, credit.PdfKey!)), StringComparison.Ordinal);
        Assert.Equal(InvoiceKinds.Paid, Assert.Single(documents, d => d.Kind == InvoiceKinds.Invoice).Status);

        // The void credit note no longer counts: the whole payment can be credited again, with the next number.
        Assert.Null(await system.DeliverAsync(refund with { RefundId = Guid.NewGuid(), AmountMinor = 12000, FullRefund = true }));
        await system.AssertDeliveredAsync(1);
        var after = await system.DocumentsAsync(tenantId);
        Assert.Equal(("CN-000002", 12000L), (after.Single(d => d.Kind == InvoiceKinds.CreditNote && d.Status != InvoiceKinds.Void).Number, after.Single(d => d.Number == "CN-000002").TotalMinor));
        Assert.Equal(InvoiceKinds.Refunded, Assert.Single(after, d => d.Kind == InvoiceKinds.Invoice).Status);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_invoice_should_store_and_send_it_once()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"alan-{Guid.NewGuid():N}@example.com";
        var id = await system.Get<InvoiceStore>().RecordPaymentAsync(Payment(tenantId, email), CancellationToken.None);
        var delivery = system.Get<InvoiceDelivery>();

        // Six workers at once (redeliveries racing); whoever does not hold the lease steps back to be redelivered.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                await delivery.DeliverAsync(tenantId, id, CancellationToken.None);
                return null;
            }
            catch (DeliveryInProgressException ex)
            {
                return ex;
            }
        })));
        await delivery.DeliverAsync(tenantId, id, CancellationToken.None);

        Assert.Contains(outcomes, o => o is null);
        Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        var invoice = Assert.Single(await system.DocumentsAsync(tenantId));
        Assert.Equal((1, 1), (invoice.PdfStoredRevision, invoice.EmailedRevision));
        Assert.Equal(invoice.PdfSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await InvoicingSystem.S3ObjectAsync(tenantId, invoice.PdfKey!))));

        // The delivery the recording queued finds the work done: still one email.
        await system.AssertDeliveredAsync(1);
        Assert.Single(InvoicingSystem.Mailbox(email));
    }

    [Fact]
    public async Task A_converted_payment_should_be_invoiced_in_the_currency_asked_for_and_credited_back_at_its_rate()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"fx-{Guid.NewGuid():N}@example.com";

        // Asked for 12.00 GBP; the gateway charged 15.00 USD at 1.25 USD per GBP.
        var payment = Payment(tenantId, email, 1500, "USD") with { RequestedCurrency = "GBP", RequestedAmountMinor = 1200, FxRate = 1.25m };
        Assert.Null(await system.DeliverAsync(payment));
        Assert.Null(await system.DeliverAsync(new PaymentRefunded(tenantId, payment.PaymentId, Guid.NewGuid(), "stripe", "re_fx", 750, "USD", null, false, payment.CompletedAt)));
        await system.AssertDeliveredAsync(2);

        var documents = await system.DocumentsAsync(tenantId);
        var invoice = Assert.Single(documents, d => d.Kind == InvoiceKinds.Invoice);
        Assert.Equal(("GBP", 1200L, 200L), (invoice.Currency, invoice.TotalMinor, invoice.TaxMinor));
        Assert.Equal(("USD", 1500L, 1.25m), (invoice.ChargedCurrency!, invoice.ChargedMinor!.Value, invoice.FxRate!.Value));
        var credit = Assert.Single(documents, d => d.Kind == InvoiceKinds.CreditNote);
        Assert.Equal(("GBP", 600L, 100L), (credit.Currency, credit.TotalMinor, credit.TaxMinor));
    }

    [Fact]
    public async Task A_payment_without_a_customer_email_should_be_stored_and_say_why_it_was_not_sent()
    {
        var tenantId = await system.NewTenantAsync();

        Assert.Null(await system.DeliverAsync(Payment(tenantId, "unused@example.com") with { CustomerEmail = null, CustomerName = null }));
        await system.AssertDeliveredAsync(1);

        var invoice = Assert.Single(await system.DocumentsAsync(tenantId));
        Assert.Equal((1, 1, "skipped: no customer email"), (invoice.PdfStoredRevision, invoice.EmailedRevision, invoice.EmailStatus!));
        Assert.Null(invoice.EmailedAt);
        Assert.NotEmpty(await InvoicingSystem.S3ObjectAsync(tenantId, invoice.PdfKey!));
    }

    [Fact]
    public async Task Zero_decimal_currencies_should_be_invoiced_in_whole_units()
    {
        var tenantId = await system.NewTenantAsync("GB", "JPY");
        var email = $"kenji-{Guid.NewGuid():N}@example.com";

        Assert.Null(await system.DeliverAsync(Payment(tenantId, email, 1001, "JPY")));
        await system.AssertDeliveredAsync(1);

        var invoice = Assert.Single(await system.DocumentsAsync(tenantId));
        Assert.Equal((834L, 167L, 1001L), (invoice.NetMinor, invoice.TaxMinor, invoice.TotalMinor));
        var text = await InvoicingSystem.PdfTextAsync(await InvoicingSystem.S3ObjectAsync(tenantId, invoice.PdfKey!));
        Assert.Matches(@"Total JPY\s+1,001\b", text);
        Assert.Equal(InvoiceDelivery.PdfKey(invoice, 1), invoice.PdfKey);
    }
}

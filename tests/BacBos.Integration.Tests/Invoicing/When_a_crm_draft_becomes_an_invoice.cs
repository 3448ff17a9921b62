using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Invoicing;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// IssueInvoice (what a won opportunity's draft sends) → an open invoice with a payment link, its PDF over several
/// pages and the "invoice" email; the payment that names it settles it → a second rendering and the receipt email.
/// Each recording queues one <c>DeliverInvoice</c> (a repeat none), delivered from the bus outbox.
/// </summary>
public sealed class When_a_crm_draft_becomes_an_invoice(InvoicingSystem system) : IClassFixture<InvoicingSystem>
{
    [Fact]
    public async Task It_should_be_issued_with_a_payment_link_and_settled_by_the_payment_that_names_it()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"ops-{Guid.NewGuid():N}@example.com";
        var contactId = await system.ContactAsync(tenantId, "Northwind Ops", email);
        var draftId = NewId.NextGuid();
        var lines = Enumerable.Range(1, 70)
            .Select(i => new InvoiceLineItem($"Item {i:D2}: a fairly long description of delivered goods that must wrap inside its column on the page", 2m, 10.5m, i % 10 == 0 ? "VAT reduced" : null))
            .ToList();
        var issue = new IssueInvoice(tenantId, draftId, NewId.NextGuid(), contactId, "GBP", lines, new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

        Assert.Null(await system.DeliverAsync(issue));
        Assert.Null(await system.DeliverAsync(issue));
        await system.AssertDeliveredAsync(1);

        var open = Assert.Single(await system.DocumentsAsync(tenantId));
        Assert.Equal((draftId, "INV-000001", InvoiceKinds.Open, InvoiceKinds.FromCrmDraft), (open.Id, open.Number, open.Status, open.Origin));
        Assert.Matches($"^https://traders-[0-9a-f]+\\.shop\\.bacbos\\.local/pay/invoices/{draftId:D}$", open.PaymentLink);

        // 63 lines of 21.00 at 20 % and 7 of 21.00 at 5 %, both as seeded (tax-inclusive): 1323.00 and 147.00.
        Assert.Equal((147000L, 22050L + 700L), (open.TotalMinor, open.TaxMinor));

        var pdf = await InvoicingSystem.S3ObjectAsync(tenantId, open.PdfKey!);
        var text = await InvoicingSystem.PdfTextAsync(pdf);
        Assert.True(text.Split('\f').Count(p => p.Trim().Length > 0) >= 3, "70 wrapped lines should take several pages");
        Assert.All(Enumerable.Range(1, 70), i => Assert.Contains($"Item {i:D2}:", text, StringComparison.Ordinal));
        Assert.Contains("Pay online:", text, StringComparison.Ordinal);
        Assert.Matches(@"VAT reduced 5 % \(included\) on 140\.00\s+7\.00", text);
        Assert.Matches(@"Total GBP\s+1,470\.00", text);

        var invoiceMail = Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        Assert.Contains(open.PaymentLink!, invoiceMail.TextBody, StringComparison.Ordinal);

        var payment = new PaymentCompleted(tenantId, Guid.NewGuid(), "paystack", "T123456789", 147000, "GBP", null, null, null, "Invoice INV-000001", contactId, null, null, draftId, null, DateTimeOffset.UtcNow);
        Assert.Null(await system.DeliverAsync(payment));
        Assert.Null(await system.DeliverAsync(payment));
        await system.AssertDeliveredAsync(1);

        var paid = Assert.Single(await system.DocumentsAsync(tenantId));
        Assert.Equal((InvoiceKinds.Paid, 2, 2, 2), (paid.Status, paid.PdfRevision, paid.PdfStoredRevision, paid.EmailedRevision));
        Assert.NotEqual(open.PdfKey, paid.PdfKey);
        var receipt = await InvoicingSystem.PdfTextAsync(await InvoicingSystem.S3ObjectAsync(tenantId, paid.PdfKey!));
        Assert.Contains("Payment reference: paystack T123456789", receipt, StringComparison.Ordinal);

        var mails = await InvoicingSystem.MailAsync(email, 2);
        Assert.Equal(2, mails.Count);
        Assert.Single(mails, m => m.TextBody!.Contains("T123456789", StringComparison.Ordinal));
    }
}

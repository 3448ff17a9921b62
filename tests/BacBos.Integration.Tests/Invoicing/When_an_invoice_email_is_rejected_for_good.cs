using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Invoicing;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// An invoice email the SMTP server (aiosmtpd with a handler that answers RCPT for <c>rejected.invalid</c> with 550)
/// rejects for good: the <see cref="DeliverInvoice"/> consume succeeds once (no fault: nothing retried, nothing for
/// <c>_error</c>), the PDF is stored, the email recorded <c>failed</c> with the server's reason, and the sweeper leaves it
/// alone. The operator corrects the CRM contact's address and asks again: a new revision, emailed exactly once; without
/// a new address, asking again tries the same one once more.
/// </summary>
public sealed class When_an_invoice_email_is_rejected_for_good : IClassFixture<InvoicingSystem>, IClassFixture<RejectingSmtpServer>
{
    private readonly InvoicingSystem _system;

    public When_an_invoice_email_is_rejected_for_good(InvoicingSystem system, RejectingSmtpServer smtp)
    {
        _system = system;
        Options.Smtp.Port = smtp.Port;
    }

    private InvoicingOptions Options => _system.Get<InvoicingOptions>();

    [Fact]
    public async Task It_should_be_recorded_as_failed_once_and_sent_when_the_operator_corrects_the_address()
    {
        var tenantId = await _system.NewTenantAsync();
        var rejected = $"grace-{Guid.NewGuid():N}@{RejectingSmtpServer.RejectedDomain}";
        var contactId = await _system.ContactAsync(tenantId, "Grace Hopper", rejected);
        Assert.Null(await _system.DeliverAsync(Payment(tenantId, contactId, rejected)));

        // One consume, and it succeeded: recorded, not retried.
        await _system.AssertDeliveredAsync(1);
        Assert.False(_system.Harness.Published.Select<Fault<DeliverInvoice>>(new CancellationToken(canceled: true)).Any());
        var invoice = Assert.Single(await _system.DocumentsAsync(tenantId));
        Assert.Equal((1, 1, 1, InvoiceDelivery.EmailFailed), (invoice.PdfRevision, invoice.PdfStoredRevision, invoice.EmailedRevision, invoice.EmailStatus));
        Assert.Equal($"550 5.1.1 <{rejected}>: mailbox unavailable", invoice.EmailFailure);
        Assert.NotNull(invoice.EmailFailedAt);
        Assert.Null(invoice.EmailMessageId);
        Assert.NotEmpty(await InvoicingSystem.S3ObjectAsync(tenantId, invoice.PdfKey!));

        // The sweeper does not pick it up again, however old it is.
        Assert.Equal(0, await _system.SweepAfterZeroAsync());
        Assert.Equal(0, await _system.PublishOutboxAsync());

        // The operator corrects the contact's address and asks again: the document takes it in a new revision.
        var corrected = $"grace-{Guid.NewGuid():N}@example.com";
        await _system.Get<CrmStorage>().WriteAsync(tenantId, async s =>
        {
            await s.ExecuteAsync($"UPDATE {s.Table("contacts")} SET email = @e WHERE id = @id", CancellationToken.None, ("e", corrected), ("id", s.Id(contactId)));
            return CrmResult<Guid>.Ok(contactId);
        }, CancellationToken.None);
        var store = _system.Get<InvoiceStore>();
        var request = await store.RequestDeliveryAsync(tenantId, invoice.Id, resendEmail: false, "fix-address", CancellationToken.None);
        Assert.Equal((true, 2, corrected), (request.Value!.Queued, request.Value.Invoice.PdfRevision, request.Value.Invoice.CustomerEmail));
        Assert.Equal(CrmStatus.Replayed, (await store.RequestDeliveryAsync(tenantId, invoice.Id, resendEmail: false, "fix-address", CancellationToken.None)).Status);
        await _system.AssertDeliveredAsync(1);

        var mail = Assert.Single(await InvoicingSystem.MailAsync(corrected, 1));
        Assert.Equal($"{invoice.Number}.pdf", Assert.Single(mail.Attachments).ContentDisposition!.FileName);
        var delivered = Assert.Single(await _system.DocumentsAsync(tenantId));
        Assert.Equal((2, 2, 2, "sent", (string?)null), (delivered.PdfRevision, delivered.PdfStoredRevision, delivered.EmailedRevision, delivered.EmailStatus, delivered.EmailFailure));
        Assert.Equal(mail.MessageId, delivered.EmailMessageId);
        Assert.Contains(corrected, await InvoicingSystem.PdfTextAsync(await InvoicingSystem.S3ObjectAsync(tenantId, delivered.PdfKey!)), StringComparison.Ordinal);
        Assert.Empty(InvoicingSystem.Mailbox(rejected));
        Assert.Single(InvoicingSystem.Mailbox(corrected));
    }

    [Fact]
    public async Task Asking_again_without_a_new_address_should_try_the_same_one_once_more()
    {
        var tenantId = await _system.NewTenantAsync();
        var rejected = $"ada-{Guid.NewGuid():N}@{RejectingSmtpServer.RejectedDomain}";
        Assert.Null(await _system.DeliverAsync(Payment(tenantId, null, rejected)));
        await _system.AssertDeliveredAsync(1);
        var invoice = Assert.Single(await _system.DocumentsAsync(tenantId));
        Assert.Equal(InvoiceDelivery.EmailFailed, invoice.EmailStatus);

        // No contact to take a corrected address from: the same revision's email is tried again, and rejected again.
        var request = await _system.Get<InvoiceStore>().RequestDeliveryAsync(tenantId, invoice.Id, resendEmail: false, null, CancellationToken.None);
        Assert.Equal((true, 1, InvoiceDelivery.ResendRequested), (request.Value!.Queued, request.Value.Invoice.PdfRevision, request.Value.Invoice.EmailStatus));
        await _system.AssertDeliveredAsync(1);
        var again = Assert.Single(await _system.DocumentsAsync(tenantId));
        Assert.Equal((1, 1, InvoiceDelivery.EmailFailed, 0), (again.PdfStoredRevision, again.EmailedRevision, again.EmailStatus, again.SweepAttempts));
        Assert.StartsWith("550 5.1.1", again.EmailFailure, StringComparison.Ordinal);
    }

    public static PaymentCompleted Payment(Guid tenantId, Guid? contactId, string email) => new(
        tenantId, Guid.NewGuid(), "stripe", $"pi_{Guid.NewGuid():N}"[..27], 4200, "GBP", null, null, null, "Bound notebooks", contactId, "Grace Hopper", email, null, null, DateTimeOffset.UtcNow);
}

using BacBos.Consumers.Invoicing;
using BacBos.Contracts.Invoicing;
using MailKit.Net.Smtp;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// An invoice email the SMTP server defers (aiosmtpd answering RCPT for <c>deferred.invalid</c> with 450) stays a
/// transient failure: the <see cref="DeliverInvoice"/> consume fails (retried, then <c>_error</c>, as with SMTP down),
/// nothing is recorded as failed, and the sweeper queues it again, counting the attempt.
/// </summary>
public sealed class When_an_invoice_email_is_deferred : IClassFixture<InvoicingSystem>, IClassFixture<RejectingSmtpServer>
{
    private readonly InvoicingSystem _system;

    public When_an_invoice_email_is_deferred(InvoicingSystem system, RejectingSmtpServer smtp)
    {
        _system = system;
        _system.Get<InvoicingOptions>().Smtp.Port = smtp.Port;
    }

    [Fact]
    public async Task A_deferred_recipient_should_stay_transient_and_be_swept()
    {
        var tenantId = await _system.NewTenantAsync();
        var deferred = $"mary-{Guid.NewGuid():N}@{RejectingSmtpServer.DeferredDomain}";
        Assert.Null(await _system.DeliverAsync(When_an_invoice_email_is_rejected_for_good.Payment(tenantId, null, deferred)));

        var failure = Assert.IsType<SmtpCommandException>(Assert.Single(await _system.DeliverQueuedAsync()));
        Assert.Equal(450, (int)failure.StatusCode);
        var invoice = Assert.Single(await _system.DocumentsAsync(tenantId));
        Assert.Equal((1, 0, (string?)null, (string?)null), (invoice.PdfStoredRevision, invoice.EmailedRevision, invoice.EmailStatus, invoice.EmailFailure));

        Assert.Equal(1, await _system.SweepAfterZeroAsync());

        Assert.IsType<SmtpCommandException>(Assert.Single(await _system.DeliverQueuedAsync()));
        Assert.Equal(1, Assert.Single(await _system.DocumentsAsync(tenantId)).SweepAttempts);
    }
}

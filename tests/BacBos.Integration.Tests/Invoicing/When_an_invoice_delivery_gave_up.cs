using System.Net.Sockets;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Invoicing;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// A payment's invoice whose email failed (the SMTP server unreachable: a closed port) and was given up — the harness
/// has no retries, so its one failure is its last — is stored but not emailed; the PaymentCompleted consume that recorded
/// it succeeded, only its queued <see cref="DeliverInvoice"/> failed. Once SMTP is back, the delivery sweeper
/// (PostgreSQL, s3rver, aiosmtpd) queues <see cref="DeliverInvoice"/> and the customer gets exactly one email, however
/// many sweeps and commands race for it; a document changed more recently than <c>Invoicing:SweepAfter</c> waits.
/// </summary>
public sealed class When_an_invoice_delivery_gave_up(InvoicingSystem system) : IClassFixture<InvoicingSystem>
{
    private InvoicingOptions Options => system.Get<InvoicingOptions>();

    [Fact]
    public async Task The_sweeper_should_email_it_once_when_smtp_is_back()
    {
        var (tenantId, email, invoiceId) = await StalledInvoiceAsync();
        var sweeper = system.Get<InvoiceDeliverySweeper>();

        // Changed less than SweepAfter (15 min by default) ago: a redelivery may still be on its way, so it waits.
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));

        var queued = await SweepAfterZeroAsync(() => sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(1, queued);
        Assert.Equal(1, await system.PublishOutboxAsync());

        var invoice = await EmailedAsync(tenantId, invoiceId);
        Assert.Equal((1, 1, "sent"), (invoice.PdfStoredRevision, invoice.EmailedRevision, invoice.EmailStatus));
        var mail = Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        Assert.Equal("INV-000001.pdf", Assert.Single(mail.Attachments).ContentDisposition!.FileName);

        // Delivered: the next sweep finds nothing, and no second email goes out.
        Assert.Equal(0, await SweepAfterZeroAsync(() => sweeper.SweepAsync(CancellationToken.None)));
        Assert.Single(InvoicingSystem.Mailbox(email));
    }

    [Fact]
    public async Task Sweeps_on_two_hosts_at_once_and_repeated_commands_should_email_it_once()
    {
        var (tenantId, email, invoiceId) = await StalledInvoiceAsync();
        var provider = system.Get<IServiceProvider>();
        var hosts = new[] { ActivatorUtilities.CreateInstance<InvoiceDeliverySweeper>(provider), ActivatorUtilities.CreateInstance<InvoiceDeliverySweeper>(provider) };

        // While another replica holds the sweep lock, a sweep steps aside.
        await using (var other = await system.Get<Database>().OpenAsync())
        {
            await using var command = other.CreateCommand();
            command.CommandText = $"SELECT pg_try_advisory_lock({InvoiceDeliverySweeper.AdvisoryLockKey})";
            Assert.Equal(true, await command.ExecuteScalarAsync());
            Assert.Null(await SweepAfterZeroAsync(() => hosts[0].SweepAsync(CancellationToken.None)));
            command.CommandText = $"SELECT pg_advisory_unlock({InvoiceDeliverySweeper.AdvisoryLockKey})";
            Assert.Equal(true, await command.ExecuteScalarAsync());
        }

        // Both hosts sweep at once (one may step aside, or both queue if they do not overlap), then the same command
        // arrives three more times at once: every copy brings the document to the same single email.
        var swept = await SweepAfterZeroAsync(() => Task.WhenAll(hosts.Select(h => Task.Run(() => h.SweepAsync(CancellationToken.None)))));
        Assert.Contains(swept, s => s == 1);
        var before = Consumed(tenantId);
        var published = await system.PublishOutboxAsync();
        Assert.Equal(swept.Sum(s => s ?? 0), published);
        var repeats = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => system.DeliverAsync(new DeliverInvoice(tenantId, invoiceId))));
        await Eventually.MatchAsync(
            () => Task.FromResult(Consumed(tenantId) - before),
            count => count == published + repeats.Length,
            TimeSpan.FromSeconds(30),
            "every DeliverInvoice consumed");

        var invoice = await EmailedAsync(tenantId, invoiceId);
        Assert.Equal((1, 1, "sent"), (invoice.PdfStoredRevision, invoice.EmailedRevision, invoice.EmailStatus));
        Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        Assert.All(repeats, e => Assert.True(e is null or DeliveryInProgressException, $"{e}"));
    }

    [Fact]
    public async Task A_resend_should_email_the_stored_pdf_again_once_per_idempotency_key()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"resend-{Guid.NewGuid():N}@example.com";
        Assert.Null(await system.DeliverAsync(new PaymentCompleted(
            tenantId, Guid.NewGuid(), "stripe", $"pi_{Guid.NewGuid():N}"[..27], 2400, "GBP", null, null, null, "Tea towels", null, "Ada", email, null, null, DateTimeOffset.UtcNow)));
        await system.AssertDeliveredAsync(1);
        var first = Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        var store = system.Get<InvoiceStore>();
        var invoice = Assert.Single(await system.DocumentsAsync(tenantId));

        // Everything is delivered: a plain request queues nothing; a resend queues one email, and its replay nothing more.
        Assert.False((await store.RequestDeliveryAsync(tenantId, invoice.Id, resendEmail: false, null, CancellationToken.None)).Value!.Queued);
        var resend = await store.RequestDeliveryAsync(tenantId, invoice.Id, resendEmail: true, "resend-1", CancellationToken.None);
        Assert.Equal((true, InvoiceDelivery.ResendRequested), (resend.Value!.Queued, resend.Value.Invoice.EmailStatus));
        var replay = await store.RequestDeliveryAsync(tenantId, invoice.Id, resendEmail: true, "resend-1", CancellationToken.None);
        Assert.Equal(CrmStatus.Replayed, replay.Status);
        Assert.Equal(1, await system.PublishOutboxAsync());

        var mails = await InvoicingSystem.MailAsync(email, 2);
        var again = Assert.Single(mails, m => m.MessageId != first.MessageId);
        var after = await EmailedAsync(tenantId, invoice.Id);
        Assert.Equal((1, 1, "sent", again.MessageId), (after.PdfStoredRevision, after.EmailedRevision, after.EmailStatus, after.EmailMessageId));
        var stored = await InvoicingSystem.S3ObjectAsync(tenantId, invoice.PdfKey!);
        Assert.Equal(stored, await InvoicingSystem.BytesAsync(Assert.IsType<MimeKit.MimePart>(Assert.Single(again.Attachments))));
        Assert.Equal(2, InvoicingSystem.Mailbox(email).Count);
    }

    /// <summary>A paid invoice whose PDF is stored and whose email failed against a closed SMTP port (then SMTP is restored).</summary>
    private async Task<(Guid TenantId, string Email, Guid InvoiceId)> StalledInvoiceAsync()
    {
        var tenantId = await system.NewTenantAsync();
        var email = $"stalled-{Guid.NewGuid():N}@example.com";
        var payment = new PaymentCompleted(
            tenantId, Guid.NewGuid(), "stripe", $"pi_{Guid.NewGuid():N}"[..27], 6000, "GBP", null, null, null, "Gift hamper", null, "Mary Somerville", email, null, null, DateTimeOffset.UtcNow);
        var port = Options.Smtp.Port;
        Options.Smtp.Port = SmtpRelay.ClosedPort();
        IReadOnlyList<Exception?> failures;
        try
        {
            // Recording does not touch SMTP: it succeeds; the delivery it queued is what fails.
            Assert.Null(await system.DeliverAsync(payment));
            failures = await system.DeliverQueuedAsync();
        }
        finally
        {
            Options.Smtp.Port = port;
        }

        Assert.IsAssignableFrom<SocketException>(Assert.Single(failures));
        var invoice = Assert.Single(await system.DocumentsAsync(tenantId));
        Assert.Equal((1, 1, 0, (string?)null), (invoice.PdfRevision, invoice.PdfStoredRevision, invoice.EmailedRevision, invoice.EmailStatus));
        Assert.Empty(InvoicingSystem.Mailbox(email));
        return (tenantId, email, invoice.Id);
    }

    /// <summary>Runs <paramref name="sweep"/> with <c>Invoicing:SweepAfter</c> zero (the test's documents are seconds old).</summary>
    private async Task<T> SweepAfterZeroAsync<T>(Func<Task<T>> sweep)
    {
        var after = Options.SweepAfter;
        Options.SweepAfter = TimeSpan.Zero;
        try
        {
            return await sweep();
        }
        finally
        {
            Options.SweepAfter = after;
        }
    }

    /// <summary>How many <see cref="DeliverInvoice"/> of the tenant the harness has consumed (the one that failed with SMTP down too).</summary>
    private int Consumed(Guid tenantId) =>
        system.Harness.Consumed.Select<DeliverInvoice>(m => m.Context.Message.TenantId == tenantId, new CancellationToken(canceled: true)).Count();

    private Task<InvoiceRow> EmailedAsync(Guid tenantId, Guid invoiceId) =>
        Eventually.MatchAsync(
            async () => (await system.DocumentsAsync(tenantId)).Single(d => d.Id == invoiceId),
            d => d.EmailedRevision >= d.PdfRevision,
            TimeSpan.FromSeconds(30),
            "the invoice emailed",
            d => $"{d.Number} stored r{d.PdfStoredRevision}, emailed r{d.EmailedRevision} ({d.EmailStatus})");
}

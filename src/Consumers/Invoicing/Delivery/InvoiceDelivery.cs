using System.Security.Cryptography;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Invoicing.Rendering;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// Brings a document's side effects up to its current rendering revision, each once: the PDF rendered and stored at
/// <c>invoices/{number}/r{revision}.pdf</c> in the tenant's files bucket (recorded with its SHA-256), then the email with
/// that stored PDF attached (recorded as sent with its Message-ID, or skipped and why, or <see cref="EmailFailed"/> with
/// the SMTP server's permanent rejection: not retried, see <see cref="SmtpRejection"/>). A redelivery finds both recorded
/// and does nothing; a crash between sending and recording sends again with the same Message-ID (at least once).
/// </summary>
public sealed class InvoiceDelivery(InvoiceStore store, IInvoiceObjectStore objects, InvoiceMailer mailer, ILogger<InvoiceDelivery> logger)
{
    public const string PdfContentType = "application/pdf";

    /// <summary>The email status of a document whose recorded email was asked for again (its Message-ID already stored).</summary>
    public const string ResendRequested = "resend requested";

    /// <summary>The email status of a document whose email the SMTP server rejected for good (the reason is recorded with it).</summary>
    public const string EmailFailed = "failed";

    public static string PdfKey(InvoiceRow row, int revision) => $"invoices/{row.Number}/r{revision}.pdf";

    /// <summary>The Message-ID of the email for <paramref name="revision"/>, or of the resend asked for by request <paramref name="resend"/>.</summary>
    public static string MessageId(InvoiceRow row, int revision, Guid tenantId, Guid? resend = null) =>
        $"{row.Number}.r{revision}{(resend is { } request ? $".resend-{request:N}" : string.Empty)}.{tenantId:N}@invoices.bacbos";

    /// <summary>How long one delivery may hold a document before another may take over (a crashed worker's lease runs out).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Stores and emails what the document's current revision still needs. Only the holder of the document's delivery
    /// lease works on it; a concurrent delivery of the same document fails with <see cref="DeliveryInProgressException"/>
    /// (transient: redelivered, it then finds the work done).
    /// </summary>
    public async Task DeliverAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        if (Done(await FindAsync(tenantId, id, cancellationToken)))
        {
            return;
        }

        if (!await store.TryLeaseAsync(tenantId, id, Lease, cancellationToken))
        {
            if (Done(await FindAsync(tenantId, id, cancellationToken)))
            {
                return;
            }

            throw new DeliveryInProgressException($"Another delivery of document {id} of tenant {tenantId} is at work.");
        }

        try
        {
            await DeliverLeasedAsync(tenantId, await FindAsync(tenantId, id, cancellationToken), cancellationToken);
        }
        finally
        {
            await store.ReleaseLeaseAsync(tenantId, id, CancellationToken.None);
        }
    }

    private static bool Done(InvoiceDocument document) => !DeliveryNeeds.Of(document.Invoice).Any;

    /// <summary>The document; one that is not stored (or whose tenant is gone) can never be delivered: rejected.</summary>
    private async Task<InvoiceDocument> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        await store.FindAsync(tenantId, id, cancellationToken) ?? throw new RejectedMessageException($"document {id} of tenant {tenantId} is not stored");

    private async Task DeliverLeasedAsync(Guid tenantId, InvoiceDocument document, CancellationToken cancellationToken)
    {
        var row = document.Invoice;
        var id = row.Id;
        var revision = row.PdfRevision;
        var key = PdfKey(row, revision);
        var business = await store.BusinessAsync(tenantId, cancellationToken);
        var needs = DeliveryNeeds.Of(row);
        if (needs.Pdf)
        {
            var pdf = InvoicePdf.Render(document, business);
            await objects.PutAsync(tenantId, key, pdf, PdfContentType, cancellationToken);
            await store.MarkStoredAsync(tenantId, id, revision, key, Convert.ToHexStringLower(SHA256.HashData(pdf)), cancellationToken);
            logger.LogInformation("Stored {Number} revision {Revision} of tenant {TenantId} at {Key} ({Bytes} bytes)", row.Number, revision, tenantId, key, pdf.Length);
        }

        if (needs.Email)
        {
            var email = await EmailAsync(tenantId, row, business, key, revision, cancellationToken);
            await store.MarkEmailedAsync(tenantId, id, revision, email, cancellationToken);
            if (email.Failure is { } failure)
            {
                logger.LogWarning("Email for {Number} revision {Revision} of tenant {TenantId} was rejected for good, not retried: {Failure}", row.Number, revision, tenantId, failure);
            }
            else
            {
                logger.LogInformation("Email for {Number} revision {Revision} of tenant {TenantId}: {EmailStatus}", row.Number, revision, tenantId, email.Status);
            }
        }
    }

    private async Task<EmailOutcome> EmailAsync(Guid tenantId, InvoiceRow row, BusinessProfile business, string key, int revision, CancellationToken cancellationToken)
    {
        if (row.CustomerEmail is not { Length: > 0 } to)
        {
            return new("skipped: no customer email");
        }

        if (mailer.NotConfigured is { } reason)
        {
            return new(reason);
        }

        var pdf = await objects.GetAsync(tenantId, key, cancellationToken) ?? throw new InvalidOperationException($"The stored PDF {key} of tenant {tenantId} is missing.");
        var code = InvoiceEmails.TemplateCode(row);
        var template = await store.TemplateAsync(tenantId, code, cancellationToken) ?? (InvoiceEmails.Default(code).Subject, InvoiceEmails.Default(code).BodyText);
        var credited = row.CreditedInvoiceId is { } creditedId ? (await store.FindAsync(tenantId, creditedId, cancellationToken))?.Invoice.Number : null;
        var values = InvoiceEmails.Values(row, business, credited);
        var messageId = row.EmailStatus == ResendRequested && row.EmailMessageId is { } resend ? resend : MessageId(row, revision, tenantId);
        try
        {
            await mailer.SendAsync(
                new InvoiceEmail(business.Name, to, row.CustomerName, EmailTemplateSeeds.Render(template.Subject, values), EmailTemplateSeeds.Render(template.Body, values), $"{row.Number}.pdf", pdf, messageId),
                cancellationToken);
        }
        catch (Exception ex) when (SmtpRejection.Permanent(ex) is { } failure)
        {
            // Sending again would get the same answer: recorded, the consume succeeds; the operator retries (POST …/deliver).
            return new(EmailFailed, Failure: failure);
        }

        return new("sent", messageId);
    }
}

/// <summary>What became of a document's email: its status, the Message-ID it was sent with, or why the SMTP server rejected it for good.</summary>
public sealed record EmailOutcome(string Status, string? MessageId = null, string? Failure = null);

/// <summary>Another delivery holds the document's lease: transient, redelivered later.</summary>
public sealed class DeliveryInProgressException(string message) : Exception(message);

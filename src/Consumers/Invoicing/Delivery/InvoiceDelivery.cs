using System.Security.Cryptography;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Invoicing.Rendering;
using BacBos.Consumers.Invoicing.Storage;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// Brings a document's side effects up to its current rendering revision, each once: the PDF rendered and stored at
/// <c>invoices/{number}/r{revision}.pdf</c> in the tenant's files bucket (recorded with its SHA-256), then the email with
/// that stored PDF attached (recorded as sent with its Message-ID, or skipped and why). A redelivery finds both recorded
/// and does nothing; a crash between sending and recording sends again with the same Message-ID (at least once).
/// </summary>
public sealed class InvoiceDelivery(InvoiceStore store, IInvoiceObjectStore objects, InvoiceMailer mailer, ILogger<InvoiceDelivery> logger)
{
    public const string PdfContentType = "application/pdf";

    public static string PdfKey(InvoiceRow row, int revision) => $"invoices/{row.Number}/r{revision}.pdf";

    public async Task DeliverAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        var document = await store.FindAsync(tenantId, id, cancellationToken) ?? throw new InvalidOperationException($"Document {id} of tenant {tenantId} is not stored.");
        var row = document.Invoice;
        var revision = row.PdfRevision;
        var key = PdfKey(row, revision);
        if (row.PdfStoredRevision >= revision && row.EmailedRevision >= revision)
        {
            return;
        }

        var business = await store.BusinessAsync(tenantId, cancellationToken);
        if (row.PdfStoredRevision < revision)
        {
            var pdf = InvoicePdf.Render(document, business);
            await objects.PutAsync(tenantId, key, pdf, PdfContentType, cancellationToken);
            await store.MarkStoredAsync(tenantId, id, revision, key, Convert.ToHexStringLower(SHA256.HashData(pdf)), cancellationToken);
            logger.LogInformation("Stored {Number} revision {Revision} of tenant {TenantId} at {Key} ({Bytes} bytes)", row.Number, revision, tenantId, key, pdf.Length);
        }

        if (row.EmailedRevision < revision)
        {
            var (status, messageId) = await EmailAsync(tenantId, row, business, key, revision, cancellationToken);
            await store.MarkEmailedAsync(tenantId, id, revision, status, messageId, cancellationToken);
            logger.LogInformation("Email for {Number} revision {Revision} of tenant {TenantId}: {EmailStatus}", row.Number, revision, tenantId, status);
        }
    }

    private async Task<(string Status, string? MessageId)> EmailAsync(Guid tenantId, InvoiceRow row, BusinessProfile business, string key, int revision, CancellationToken cancellationToken)
    {
        if (row.CustomerEmail is not { Length: > 0 } to)
        {
            return ("skipped: no customer email", null);
        }

        if (mailer.NotConfigured is { } reason)
        {
            return (reason, null);
        }

        var pdf = await objects.GetAsync(tenantId, key, cancellationToken) ?? throw new InvalidOperationException($"The stored PDF {key} of tenant {tenantId} is missing.");
        var code = InvoiceEmails.TemplateCode(row);
        var template = await store.TemplateAsync(tenantId, code, cancellationToken) ?? (InvoiceEmails.Default(code).Subject, InvoiceEmails.Default(code).BodyText);
        var credited = row.CreditedInvoiceId is { } creditedId ? (await store.FindAsync(tenantId, creditedId, cancellationToken))?.Invoice.Number : null;
        var values = InvoiceEmails.Values(row, business, credited);
        var messageId = $"{row.Number}.r{revision}.{tenantId:N}@invoices.bacbos";
        await mailer.SendAsync(
            new InvoiceEmail(business.Name, to, row.CustomerName, EmailTemplateSeeds.Render(template.Subject, values), EmailTemplateSeeds.Render(template.Body, values), $"{row.Number}.pdf", pdf, messageId),
            cancellationToken);
        return ("sent", messageId);
    }
}

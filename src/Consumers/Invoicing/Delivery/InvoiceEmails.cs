using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Invoicing.Rendering;
using BacBos.Consumers.Invoicing.Storage;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// Which of the tenant's email templates (its <c>email_templates</c> table, seeded at activation and editable) a document
/// is sent with, and the values for its placeholders: an open invoice with <c>invoice</c> (its payment link), a paid one
/// with <c>payment_receipt</c>, a credit note with <c>credit_note</c>. A template the tenant lacks falls back to the
/// platform's default of that code (<see cref="EmailTemplateSeeds"/>, plus <see cref="CreditNoteDefault"/>).
/// </summary>
public static class InvoiceEmails
{
    public static readonly EmailTemplateSeed CreditNoteDefault = new(
        "credit_note",
        "Credit note {{credit_note_number}} from {{business_name}}",
        "Hello {{customer_name}},\n\nWe refunded {{amount}} {{currency}} for invoice {{invoice_number}}. Credit note {{credit_note_number}} is attached.\n\nThank you,\n{{business_name}}");

    public static string TemplateCode(InvoiceRow row) =>
        row.Kind == InvoiceKinds.CreditNote ? CreditNoteDefault.Code : row.PaymentReference is null ? "invoice" : "payment_receipt";

    public static EmailTemplateSeed Default(string code) =>
        code == CreditNoteDefault.Code ? CreditNoteDefault : EmailTemplateSeeds.Default.First(t => t.Code == code);

    /// <summary>The placeholder values for <paramref name="document"/>; <paramref name="creditedNumber"/> is the credited invoice's number.</summary>
    public static IReadOnlyDictionary<string, string> Values(InvoiceRow document, BusinessProfile business, string? creditedNumber) => new Dictionary<string, string>
    {
        ["business_name"] = business.Name,
        ["customer_name"] = document.CustomerName ?? "customer",
        ["invoice_number"] = creditedNumber ?? document.Number,
        ["credit_note_number"] = document.Number,
        ["amount"] = InvoicePdf.Amount(document.TotalMinor, document.Currency),
        ["currency"] = document.Currency,
        ["due_date"] = document.IssueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["invoice_url"] = document.PaymentLink ?? string.Empty,
        ["payment_date"] = document.PaidAt?.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        ["payment_reference"] = $"{document.PaymentGateway} {document.PaymentReference}".Trim(),
    };
}

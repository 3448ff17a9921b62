using System.Data.Common;
using BacBos.Consumers.Invoicing.Tax;
using C = BacBos.Consumers.Crm.Storage.Columns;

namespace BacBos.Consumers.Invoicing.Storage;

/// <summary>An invoice or a credit note (<see cref="Kind"/>), as stored; amounts in minor units of <see cref="Currency"/>.</summary>
public sealed record InvoiceRow(
    Guid Id,
    string Kind,
    string Number,
    string Status,
    string Origin,
    DateOnly IssueDate,
    string Currency,
    string? CustomerName,
    string? CustomerEmail,
    Guid? ContactId,
    Guid? OpportunityId,
    long NetMinor,
    long TaxMinor,
    long TotalMinor,
    string? TaxNote,
    string? PaymentLink,
    Guid? PaymentId,
    string? PaymentGateway,
    string? PaymentReference,
    long? PaidMinor,
    long? ChargedMinor,
    string? ChargedCurrency,
    decimal? FxRate,
    DateTimeOffset? PaidAt,
    Guid? CreditedInvoiceId,
    Guid? RefundId,
    string? Reason,
    int PdfRevision,
    string? PdfKey,
    string? PdfSha256,
    int PdfStoredRevision,
    string? EmailStatus,
    int EmailedRevision,
    string? EmailMessageId,
    DateTimeOffset? EmailedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? VoidedAt = null,
    string? VoidReason = null,
    string? EmailFailure = null,
    DateTimeOffset? EmailFailedAt = null,
    int SweepAttempts = 0,
    DateTimeOffset? NextSweepAt = null)
{
    public const string Columns =
        "id, kind, number, status, origin, issue_date, currency, customer_name, customer_email, contact_id, opportunity_id, net_minor, tax_minor, total_minor, " +
        "tax_note, payment_link, payment_id, payment_gateway, payment_reference, paid_minor, charged_minor, charged_currency, fx_rate, paid_at, " +
        "credited_invoice_id, refund_id, reason, pdf_revision, pdf_key, pdf_sha256, pdf_stored_revision, email_status, emailed_revision, email_message_id, " +
        "emailed_at, created_at, updated_at, voided_at, void_reason, email_failure, email_failed_at, sweep_attempts, next_sweep_at";

    public static InvoiceRow Read(DbDataReader r) => new(
        C.Id(r, 0), C.Text(r, 1), C.Text(r, 2), C.Text(r, 3), C.Text(r, 4), C.Date(r, 5), C.Text(r, 6), C.NullableText(r, 7), C.NullableText(r, 8),
        C.NullableId(r, 9), C.NullableId(r, 10), C.Long(r, 11), C.Long(r, 12), C.Long(r, 13), C.NullableText(r, 14), C.NullableText(r, 15),
        C.NullableId(r, 16), C.NullableText(r, 17), C.NullableText(r, 18), NullableLong(r, 19), NullableLong(r, 20), C.NullableText(r, 21),
        C.NullableDecimal(r, 22), C.NullableTime(r, 23), C.NullableId(r, 24), C.NullableId(r, 25), C.NullableText(r, 26), C.Int(r, 27),
        C.NullableText(r, 28), C.NullableText(r, 29), C.Int(r, 30), C.NullableText(r, 31), C.Int(r, 32), C.NullableText(r, 33), C.NullableTime(r, 34),
        C.Time(r, 35), C.Time(r, 36), C.NullableTime(r, 37), C.NullableText(r, 38),
        C.NullableText(r, 39), C.NullableTime(r, 40), C.Int(r, 41), C.NullableTime(r, 42));

    private static long? NullableLong(DbDataReader r, int i) => r.IsDBNull(i) ? null : C.Long(r, i);
}

/// <summary>One stored line.</summary>
public sealed record InvoiceLineRow(int Position, string Description, decimal Quantity, decimal UnitPrice, long AmountMinor, string? TaxRateId, string? TaxName, decimal? TaxRatePercent, bool TaxInclusive)
{
    public const string Columns = "position, description, quantity, unit_price, amount_minor, tax_rate_id, tax_name, tax_rate_percent, tax_inclusive";

    public static InvoiceLineRow Read(DbDataReader r) => new(
        C.Int(r, 0), C.Text(r, 1), C.Decimal(r, 2), C.Decimal(r, 3), C.Long(r, 4), C.NullableText(r, 5), C.NullableText(r, 6), C.NullableDecimal(r, 7), C.Bool(r, 8));
}

/// <summary>An invoice with its lines and tax breakdown.</summary>
public sealed record InvoiceDocument(InvoiceRow Invoice, IReadOnlyList<InvoiceLineRow> Lines, IReadOnlyList<TaxBreakdown> Taxes)
{
    public const string TaxColumns = "position, tax_rate_id, tax_type, tax_name, rate_percent, inclusive, net_minor, tax_minor";

    public static TaxBreakdown ReadTax(DbDataReader r) => new(
        C.Int(r, 0), C.NullableText(r, 1), C.Text(r, 2), C.Text(r, 3), C.Decimal(r, 4), C.Bool(r, 5), C.Long(r, 6), C.Long(r, 7));
}

/// <summary>The seller's details printed on documents and used in emails (the platform's tenant row).</summary>
public sealed record BusinessProfile(string Name, string Slug, string Region, string Currency, string? Domain);

/// <summary>Document kinds, statuses and origins.</summary>
public static class InvoiceKinds
{
    public const string Invoice = "invoice";
    public const string CreditNote = "credit_note";

    public const string Open = "open";
    public const string Paid = "paid";
    public const string PartiallyPaid = "partially_paid";
    public const string Refunded = "refunded";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Issued = "issued";

    /// <summary>A credit note whose refund the gateway later reported failed: it keeps its number and credits nothing.</summary>
    public const string Void = "void";

    public const string FromPayment = "payment";
    public const string FromCrmDraft = "crm_draft";
    public const string FromRefund = "refund";
}

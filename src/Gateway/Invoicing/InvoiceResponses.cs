using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Invoicing.Storage;

namespace BacBos.Gateway.Invoicing;

/// <summary>An invoice or credit note. Amounts are decimals with exactly the currency's minor digits; *_minor repeat them as integers.</summary>
public sealed record InvoiceResponse(
    Guid Id,
    string Kind,
    string Number,
    string Status,
    string Origin,
    DateOnly IssueDate,
    string Currency,
    InvoiceCustomerResponse Customer,
    Guid? OpportunityId,
    decimal Net,
    decimal Tax,
    decimal Total,
    long TotalMinor,
    string? TaxNote,
    IReadOnlyList<InvoiceLineResponse>? Lines,
    IReadOnlyList<InvoiceTaxResponse>? Taxes,
    InvoicePaymentResponse? Payment,
    string? PaymentLink,
    Guid? CreditedInvoiceId,
    Guid? RefundId,
    string? Reason,
    DateTimeOffset? VoidedAt,
    string? VoidReason,
    InvoiceDeliveryResponse Delivery,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static InvoiceResponse From(InvoiceRow r) => From(new InvoiceDocument(r, [], []), withLines: false);

    public static InvoiceResponse From(InvoiceDocument d) => From(d, withLines: true);

    private static InvoiceResponse From(InvoiceDocument d, bool withLines)
    {
        var r = d.Invoice;
        decimal M(long minor) => Money.FromMinor(minor, r.Currency);
        return new(
            r.Id, r.Kind, r.Number, r.Status, r.Origin, r.IssueDate, r.Currency, new InvoiceCustomerResponse(r.ContactId, r.CustomerName, r.CustomerEmail), r.OpportunityId,
            M(r.NetMinor), M(r.TaxMinor), M(r.TotalMinor), r.TotalMinor, r.TaxNote,
            withLines ? d.Lines.Select(l => new InvoiceLineResponse(l.Position, l.Description, Trimmed(l.Quantity), Price(l.UnitPrice, r.Currency), M(l.AmountMinor), l.TaxName, l.TaxRatePercent is { } p ? Trimmed(p) : null, l.TaxInclusive)).ToList() : null,
            withLines ? d.Taxes.Select(t => new InvoiceTaxResponse(t.Name, t.TaxType, Trimmed(t.RatePercent), t.Inclusive, M(t.NetMinor), M(t.TaxMinor))).ToList() : null,
            r.PaymentGateway is null ? null : new InvoicePaymentResponse(r.PaymentId, r.PaymentGateway, r.PaymentReference, r.PaidMinor is { } p ? M(p) : null, r.ChargedMinor is { } c && r.ChargedCurrency is { } cc ? Money.FromMinor(c, cc) : null, r.ChargedCurrency, r.FxRate, r.PaidAt),
            r.PaymentLink, r.CreditedInvoiceId, r.RefundId, r.Reason, r.VoidedAt, r.VoidReason,
            InvoiceDeliveryResponse.From(r),
            r.CreatedAt, r.UpdatedAt);
    }

    /// <summary>Without trailing zeros (2.500000 → 2.5).</summary>
    private static decimal Trimmed(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>A unit price with at least the currency's minor digits, and more only where it has them (4800 → 4800.00, 0.125 → 0.125).</summary>
    private static decimal Price(decimal value, string currency)
    {
        var trimmed = Trimmed(value);
        return Money.WithScale(trimmed, Math.Max((decimal.GetBits(trimmed)[3] >> 16) & 0xFF, Money.MinorUnits(currency)));
    }
}

public sealed record InvoiceCustomerResponse(Guid? ContactId, string? Name, string? Email);

public sealed record InvoiceLineResponse(int Position, string Description, decimal Quantity, decimal UnitPrice, decimal Amount, string? TaxName, decimal? TaxRatePercent, bool TaxInclusive);

public sealed record InvoiceTaxResponse(string Name, string TaxType, decimal RatePercent, bool Inclusive, decimal Net, decimal Tax);

public sealed record InvoicePaymentResponse(Guid? PaymentId, string? Gateway, string? Reference, decimal? Amount, decimal? ChargedAmount, string? ChargedCurrency, decimal? FxRate, DateTimeOffset? PaidAt);

/// <summary>
/// The rendering revision, whether its PDF is stored (then <c>GET …/pdf</c> serves it) and what became of its email:
/// <c>failed</c> with the SMTP server's permanent rejection in <see cref="EmailFailure"/> (not retried until asked, see
/// <c>POST …/deliver</c>); <see cref="SweepAttempts"/> counts the sweeper's re-queues of the current revision.
/// </summary>
public sealed record InvoiceDeliveryResponse(
    int PdfRevision, bool PdfStored, string? PdfSha256, string? EmailStatus, DateTimeOffset? EmailedAt, string? EmailFailure, DateTimeOffset? EmailFailedAt, int SweepAttempts)
{
    public static InvoiceDeliveryResponse From(InvoiceRow r) =>
        new(r.PdfRevision, r.PdfStoredRevision >= r.PdfRevision, r.PdfSha256, r.EmailStatus, r.EmailedAt, r.EmailFailure, r.EmailFailedAt, r.SweepAttempts);
}

/// <summary>
/// <c>POST /api/v1/invoices/{id}/deliver</c> (optional body): <c>resend_email</c> sends the current revision's email again
/// even when it was sent. A <c>failed</c> email is tried again either way (to the CRM contact's corrected address in a new revision).
/// </summary>
public sealed record DeliverInvoiceRequest(bool? ResendEmail);

/// <summary>
/// The answer to a delivery request: whether a delivery was queued (false when the current revision's PDF is stored and
/// its email recorded: nothing is sent again) and the delivery status as it was when the request was accepted.
/// </summary>
public sealed record InvoiceDeliveryRequestResponse(Guid Id, string Number, bool Queued, InvoiceDeliveryResponse Delivery)
{
    public static InvoiceDeliveryRequestResponse From(InvoiceRow r, bool queued) => new(r.Id, r.Number, queued, InvoiceDeliveryResponse.From(r));
}

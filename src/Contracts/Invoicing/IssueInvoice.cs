namespace BacBos.Contracts.Invoicing;

/// <summary>
/// Issue an open invoice (numbered, rendered, emailed with its payment link) — sent by the CRM for a won opportunity's
/// invoice draft, whose id becomes <see cref="InvoiceId"/>, so a payment that names the draft settles this invoice.
/// Idempotent per <see cref="InvoiceId"/>. Tax follows the tenant's rates in force on the date of <see cref="RequestedAt"/> (UTC).
/// </summary>
public sealed record IssueInvoice(
    Guid TenantId,
    Guid InvoiceId,
    Guid? OpportunityId,
    Guid? ContactId,
    string Currency,
    IReadOnlyList<InvoiceLineItem> Lines,
    DateTimeOffset RequestedAt);

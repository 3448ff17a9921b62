namespace BacBos.Contracts.Invoicing;

/// <summary>
/// Bring an invoice's or credit note's side effects up to its current rendering revision: store its PDF and email it
/// if either is still missing (nothing when both are recorded). Queued by invoicing with every document (revision) it
/// records, in the recording's transaction; again by the delivery sweeper for documents whose delivery gave up, and by
/// <c>POST /api/v1/invoices/{id}/deliver</c>. Idempotent: any number of copies deliver once.
/// </summary>
public sealed record DeliverInvoice(Guid TenantId, Guid InvoiceId);

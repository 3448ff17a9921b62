using BacBos.Consumers.Invoicing.Storage;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// What a document's current rendering revision still needs: its PDF stored, its email sent (or recorded as skipped).
/// A later revision (a payment settling an open invoice) needs both again, whatever was done for an earlier one.
/// </summary>
public readonly record struct DeliveryNeeds(bool Pdf, bool Email)
{
    public bool Any => Pdf || Email;

    public static DeliveryNeeds Of(InvoiceRow row) => new(row.PdfStoredRevision < row.PdfRevision, row.EmailedRevision < row.PdfRevision);
}

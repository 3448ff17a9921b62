using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Invoicing.Storage;

namespace BacBos.Consumers.Invoicing;

/// <summary>
/// Where a customer pays an open invoice: the tenant's storefront (its own domain, or <c>{slug}.{PublicUrls:StorefrontDomain}</c>)
/// at <c>/pay/invoices/{invoice_id}</c>. That page asks the gateway for a payment with the invoice's id
/// (<c>POST /api/v1/payments</c>), so the completed payment names the invoice and settles it.
/// </summary>
public sealed class InvoiceLinks(PublicUrlOptions urls)
{
    public string PaymentLink(BusinessProfile business, Guid invoiceId) =>
        $"https://{business.Domain ?? $"{business.Slug}.{urls.StorefrontDomain}"}/pay/invoices/{invoiceId:D}";
}

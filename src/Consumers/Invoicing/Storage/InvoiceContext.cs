using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;
using C = BacBos.Consumers.Crm.Storage.Columns;

namespace BacBos.Consumers.Invoicing.Storage;

/// <summary>What an invoice is computed from inside its transaction: the seller, the tenant's tax rates and the customer (a CRM contact).</summary>
internal sealed record InvoiceContext(BusinessProfile Business, IReadOnlyCollection<TaxRate> Rates, InvoiceContext.Contact? Customer)
{
    public sealed record Contact(string Name, string? Email);

    public static async Task<InvoiceContext> LoadAsync(CrmSession s, Guid? contactId, CancellationToken cancellationToken)
    {
        var business = await BusinessAsync(s, cancellationToken);
        var rates = await TenantCrmContext.TaxRatesAsync(s, cancellationToken);
        var customer = contactId is { } id ? await ContactAsync(s, id, cancellationToken) : null;
        return new InvoiceContext(business, rates, customer);
    }

    /// <summary>The CRM contact's name and current address, or null when there is no such contact.</summary>
    public static Task<Contact?> ContactAsync(CrmSession s, Guid contactId, CancellationToken cancellationToken) =>
        s.SingleAsync($"SELECT name, email FROM {s.Table("contacts")} WHERE id = @id", r => new Contact(r.GetString(0), C.NullableText(r, 1)), cancellationToken, ("id", s.Id(contactId)));

    public static async Task<BusinessProfile> BusinessAsync(CrmSession s, CancellationToken cancellationToken) =>
        await s.SingleAsync(
            "SELECT business_name, slug, region, currency, domain FROM tenants WHERE id = @t",
            r => new BusinessProfile(r.GetString(0), r.GetString(1), r.GetString(2).ToUpperInvariant(), r.GetString(3).ToUpperInvariant(), C.NullableText(r, 4)),
            cancellationToken,
            ("t", s.Id(s.TenantId)))
        ?? throw new InvalidOperationException($"Tenant {s.TenantId} has storage but no tenant row.");
}

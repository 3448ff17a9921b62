using BacBos.Consumers.Crm.Storage;
using MassTransit;

namespace BacBos.Consumers.Crm.Contacts;

/// <summary>A new contact, validated and normalised.</summary>
public sealed record ContactDraft(string Name, string? Email, string? Phone, string? Company);

/// <summary>Contacts: created directly or by converting a lead; read and listed. Contacts publish no events.</summary>
public sealed class ContactService(CrmStorage storage, TimeProvider time)
{
    public Task<CrmResult<ContactRow>> CreateAsync(Guid tenantId, ContactDraft draft, string actor, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s =>
            {
                var now = time.GetUtcNow();
                var contact = new ContactRow(NewId.NextGuid(), draft.Name, draft.Email, draft.Phone, draft.Company, null, actor, now, now, 1);
                await ContactWriter.InsertAsync(s, contact, cancellationToken);
                return CrmResult<ContactRow>.Created(contact);
            },
            cancellationToken);

    public Task<CrmResult<ContactRow>> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s => await ContactWriter.FindAsync(s, id, cancellationToken) is { } contact ? CrmResult<ContactRow>.Ok(contact) : CrmResult<ContactRow>.NotFound("contact", id),
            cancellationToken);

    public Task<CrmResult<Page<ContactRow>>> ListAsync(Guid tenantId, ListQuery query, string sortExpression, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s => CrmResult<Page<ContactRow>>.Ok(await s.PageAsync("contacts", ContactRow.Columns, ContactRow.Read, query, sortExpression, cancellationToken)),
            cancellationToken);
}

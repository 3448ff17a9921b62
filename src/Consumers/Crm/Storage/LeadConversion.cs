using BacBos.Consumers.Crm.Domain;
using MassTransit;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>What converting a lead made.</summary>
public sealed record Conversion(LeadRow Lead, ContactRow Contact, OpportunityDetails Opportunity);

/// <summary>
/// qualified → converted, in one transaction: the contact (the one named, or a new one made from the lead), the
/// opportunity, the lead's new state, and their events. Shared by <c>POST /leads/{id}/convert</c> and
/// <c>POST /opportunities</c> naming a qualified lead (seed §2.3: creating the opportunity converts the lead).
/// </summary>
internal static class LeadConversion
{
    public static async Task<CrmResult<Conversion>> ConvertAsync(
        CrmSession s,
        FxTable fx,
        LeadRow lead,
        Guid opportunityId,
        OpportunityDraft draft,
        string actor,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (lead.Status != LeadStatus.Qualified)
        {
            return CrmResult<Conversion>.Illegal(
                Conflict(lead),
                $"Only a qualified lead can be converted; this lead is '{lead.Status}'.");
        }

        ContactRow contact;
        if (draft.ContactId is { } contactId)
        {
            if (await ContactWriter.FindAsync(s, contactId, cancellationToken) is not { } existing)
            {
                return CrmResult<Conversion>.NotFound("contact", contactId);
            }

            contact = existing;
        }
        else
        {
            contact = ContactWriter.FromLead(lead, NewId.NextGuid(), actor, now);
            await ContactWriter.InsertAsync(s, contact, cancellationToken);
        }

        var created = await OpportunityWriter.CreateAsync(
            s, fx, opportunityId, draft with { ContactId = contact.Id, LeadId = lead.Id }, lead.Company ?? lead.Name, actor, now, cancellationToken);
        if (created.Value is not { } opportunity)
        {
            return created.As<Conversion>();
        }

        var converted = await LeadWriter.MarkConvertedAsync(s, lead, contact.Id, opportunity.Id, actor, now, cancellationToken);
        return CrmResult<Conversion>.Created(new Conversion(converted, contact, await OpportunityWriter.DetailsAsync(s, opportunity, cancellationToken)));
    }

    /// <summary>The lead's state and next states, plus what a conversion made when it already happened.</summary>
    public static CrmConflict Conflict(LeadRow lead) =>
        new("lead", lead.Status, LeadLifecycle.AllowedFrom(lead.Status), lead.Status == LeadStatus.Converted
            ? new Dictionary<string, object?> { ["contact_id"] = lead.ContactId, ["opportunity_id"] = lead.OpportunityId }
            : null);
}

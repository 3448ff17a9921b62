using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;
using MassTransit;

namespace BacBos.Consumers.Crm.Leads;

/// <summary>A change to a lead: each member is absent unless the request names it.</summary>
public sealed record LeadPatch(Requested<string> Status, Requested<string> Priority, Requested<string?> Notes);

/// <summary>Converting a lead: an existing contact to attach (else one is made from the lead) and the opportunity to open.</summary>
public sealed record LeadConversionRequest(Guid? ContactId, string? Name, decimal Amount, string? Currency, string? Stage, decimal? Probability, DateOnly? CloseDate);

/// <summary>
/// Leads: create (REST and inbound, one set of rules), read, list, status changes through <see cref="LeadLifecycle"/>,
/// conversion. Every change is one transaction with its events; the lead row is locked while it changes, so of two
/// racing changes the second sees the first's result (and is refused with 409 if it no longer applies).
/// </summary>
public sealed class LeadService(CrmStorage storage, FxTable fx, TimeProvider time)
{
    public const string RestChannel = "api";

    /// <summary>A lead from <c>POST /api/v1/leads</c>; an Idempotency-Key makes a retry answer the same lead.</summary>
    public Task<CrmResult<LeadRow>> CreateAsync(Guid tenantId, LeadDraft draft, string actor, string? idempotencyKey, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s =>
            {
                var now = time.GetUtcNow();
                return await IdempotentCreation.RunAsync(
                    s,
                    "leads",
                    idempotencyKey,
                    draft,
                    now,
                    id => LeadWriter.FindAsync(s, id, false, cancellationToken),
                    async id =>
                    {
                        var lead = NewLead(id, draft, RestChannel, null, actor, now);
                        await LeadWriter.InsertAsync(s, lead, cancellationToken);
                        return CrmResult<LeadRow>.Created(lead);
                    },
                    cancellationToken);
            },
            cancellationToken);

    /// <summary>
    /// A lead from another system. The same client id on the same channel is the same lead: a repeat changes nothing
    /// and returns the lead the first message created (status <see cref="CrmStatus.Ok"/> instead of Created).
    /// </summary>
    public Task<CrmResult<LeadRow>> CreateInboundAsync(Guid tenantId, LeadDraft draft, string channel, string clientLeadId, string actor, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s =>
            {
                var lead = NewLead(NewId.NextGuid(), draft, channel, clientLeadId, actor, time.GetUtcNow());
                if (await LeadWriter.InsertAsync(s, lead, cancellationToken))
                {
                    return CrmResult<LeadRow>.Created(lead);
                }

                return CrmResult<LeadRow>.Ok(await LeadWriter.FindByClientIdAsync(s, channel, clientLeadId, cancellationToken)
                    ?? throw new InvalidOperationException($"Lead {channel}/{clientLeadId} conflicted but cannot be read."));
            },
            cancellationToken);

    public Task<CrmResult<LeadRow>> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s => await LeadWriter.FindAsync(s, id, false, cancellationToken) is { } lead ? CrmResult<LeadRow>.Ok(lead) : CrmResult<LeadRow>.NotFound("lead", id),
            cancellationToken);

    public Task<CrmResult<Page<LeadRow>>> ListAsync(Guid tenantId, ListQuery query, string sortExpression, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s => CrmResult<Page<LeadRow>>.Ok(await s.PageAsync("leads", LeadRow.Columns, LeadRow.Read, query, sortExpression, cancellationToken)),
            cancellationToken);

    /// <summary>
    /// Status (through the lifecycle), priority and notes. Asking for the status the lead already has changes nothing;
    /// an illegal move is refused with the current state and the allowed ones; <c>converted</c> is reached only by
    /// conversion, which also creates the contact and the opportunity. Terminal leads change no more.
    /// </summary>
    public Task<CrmResult<LeadRow>> PatchAsync(Guid tenantId, Guid id, LeadPatch patch, string actor, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s =>
            {
                if (await LeadWriter.FindAsync(s, id, forUpdate: true, cancellationToken) is not { } lead)
                {
                    return CrmResult<LeadRow>.NotFound("lead", id);
                }

                var priority = patch.Priority.IsSet ? patch.Priority.Value : lead.Priority;
                var notes = patch.Notes.IsSet ? patch.Notes.Value : lead.Notes;
                var transition = patch.Status.IsSet ? LeadLifecycle.Decide(lead.Status, patch.Status.Value) : Transition.NoChange;
                if (transition == Transition.Illegal)
                {
                    return CrmResult<LeadRow>.Illegal(LeadConversion.Conflict(lead), $"A lead cannot go from '{lead.Status}' to '{patch.Status.Value}'.");
                }

                if (transition == Transition.Allowed && patch.Status.Value == LeadStatus.Converted)
                {
                    return CrmResult<LeadRow>.Unprocessable(
                        "conversion-required",
                        $"A qualified lead becomes converted through POST /api/v1/leads/{id:D}/convert, which also creates its contact and opportunity.");
                }

                if (transition == Transition.NoChange && priority == lead.Priority && notes == lead.Notes)
                {
                    return CrmResult<LeadRow>.Ok(lead);
                }

                if (LeadLifecycle.IsTerminal(lead.Status))
                {
                    return CrmResult<LeadRow>.Illegal(LeadConversion.Conflict(lead), $"A {lead.Status} lead does not change any more.");
                }

                var now = time.GetUtcNow();
                return CrmResult<LeadRow>.Ok(transition == Transition.Allowed
                    ? await LeadWriter.ChangeStatusAsync(s, lead, patch.Status.Value, priority, notes, actor, now, cancellationToken)
                    : await LeadWriter.EditAsync(s, lead, priority, notes, now, cancellationToken));
            },
            cancellationToken);

    /// <summary>Converts a qualified lead: a contact (made from the lead unless one is named) and an opportunity.</summary>
    public Task<CrmResult<Conversion>> ConvertAsync(Guid tenantId, Guid id, LeadConversionRequest request, string actor, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s =>
            {
                if (await LeadWriter.FindAsync(s, id, forUpdate: true, cancellationToken) is not { } lead)
                {
                    return CrmResult<Conversion>.NotFound("lead", id);
                }

                var draft = new OpportunityDraft(request.Name, request.ContactId, lead.Id, request.Amount, request.Currency, request.Stage, request.Probability, request.CloseDate);
                return await LeadConversion.ConvertAsync(s, fx, lead, NewId.NextGuid(), draft, actor, time.GetUtcNow(), cancellationToken);
            },
            cancellationToken);

    private static LeadRow NewLead(Guid id, LeadDraft draft, string channel, string? clientLeadId, string actor, DateTimeOffset now) =>
        new(id, draft.Name, draft.Email, draft.Phone, draft.Company, draft.Source, draft.Priority, LeadStatus.New, draft.Notes, channel, clientLeadId,
            null, null, null, actor, now, now, 1, 1);
}

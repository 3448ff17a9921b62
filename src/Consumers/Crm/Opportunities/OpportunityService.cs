using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;
using BacBos.Contracts.Crm;
using MassTransit;

namespace BacBos.Consumers.Crm.Opportunities;

/// <summary>A change to an opportunity: each member is absent unless the request names it (probability null clears an override).</summary>
public sealed record OpportunityPatch(Requested<string> Name, Requested<string> Stage, Requested<decimal> Amount, Requested<decimal?> Probability, Requested<DateOnly?> CloseDate);

/// <summary>Count, amount and probability-weighted amount of one stage, in the tenant's currency.</summary>
public sealed record StageTotal(string Stage, long Count, decimal Amount, decimal WeightedAmount);

/// <summary>Pipeline totals over every opportunity a list's filters match (not only the page shown).</summary>
public sealed record PipelineTotals(string Currency, IReadOnlyList<StageTotal> Stages, decimal Amount, decimal WeightedAmount);

/// <summary>
/// Opportunities: create (optionally converting the qualified lead named), read with history, list with pipeline
/// totals, change (stage through <see cref="OpportunityLifecycle"/>, amount, probability per <see cref="ProbabilityRules"/>,
/// close date) and close. Closing as won also asks finance for an invoice draft, in the same transaction.
/// </summary>
public sealed class OpportunityService(CrmStorage storage, FxTable fx, TimeProvider time)
{
    public Task<CrmResult<OpportunityDetails>> CreateAsync(Guid tenantId, OpportunityDraft draft, string actor, string? idempotencyKey, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s =>
            {
                var now = time.GetUtcNow();
                return await IdempotentCreation.RunAsync(
                    s,
                    "opportunities",
                    idempotencyKey,
                    draft,
                    now,
                    async id => await OpportunityWriter.FindAsync(s, id, false, cancellationToken) is { } earlier ? await OpportunityWriter.DetailsAsync(s, earlier, cancellationToken) : null,
                    async id =>
                    {
                        var created = await CreateInSessionAsync(s, id, draft, actor, now, cancellationToken);
                        return created.Value is { } row
                            ? CrmResult<OpportunityDetails>.Created(await OpportunityWriter.DetailsAsync(s, row, cancellationToken))
                            : created.As<OpportunityDetails>();
                    },
                    cancellationToken);
            },
            cancellationToken);

    public Task<CrmResult<OpportunityDetails>> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s =>
            {
                return await OpportunityWriter.FindAsync(s, id, false, cancellationToken) is { } opportunity
                    ? CrmResult<OpportunityDetails>.Ok(await OpportunityWriter.DetailsAsync(s, opportunity, cancellationToken))
                    : CrmResult<OpportunityDetails>.NotFound("opportunity", id);
            },
            cancellationToken);

    /// <summary>A page of opportunities with the pipeline (for each one's allowed stages) and the totals of every match.</summary>
    public Task<CrmResult<(Page<OpportunityRow> Page, Pipeline Pipeline, PipelineTotals Totals)>> ListAsync(Guid tenantId, ListQuery query, string sortExpression, CancellationToken cancellationToken) =>
        storage.ReadAsync(
            tenantId,
            async s =>
            {
                var pipeline = await TenantCrmContext.PipelineAsync(s, cancellationToken);
                if (query.Filters.FirstOrDefault(f => f.Column == "stage").Value is string stage && pipeline.Find(stage) is null)
                {
                    return CrmResult<(Page<OpportunityRow>, Pipeline, PipelineTotals)>.Invalid("stage", $"Unknown stage '{stage}'; this tenant's pipeline has {string.Join(", ", pipeline.Codes)}.");
                }

                var page = await s.PageAsync("opportunities", OpportunityRow.Columns, OpportunityRow.Read, query, sortExpression, cancellationToken);
                var totals = await TotalsAsync(s, pipeline, query, cancellationToken);
                return CrmResult<(Page<OpportunityRow>, Pipeline, PipelineTotals)>.Ok((page, pipeline, totals));
            },
            cancellationToken);

    public Task<CrmResult<OpportunityDetails>> PatchAsync(Guid tenantId, Guid id, OpportunityPatch patch, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, id, actor, (pipeline, row) => patch, reason: null, cancellationToken);

    /// <summary>Closes an open opportunity as won (100 %) or lost (0 %) with an optional reason; closed_at is recorded.</summary>
    public Task<CrmResult<OpportunityDetails>> CloseAsync(Guid tenantId, Guid id, bool won, string? reason, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(
            tenantId,
            id,
            actor,
            (pipeline, row) => new OpportunityPatch(default, Requested<string>.Of(won ? pipeline.Won.Code : pipeline.Lost.Code), default, default, default),
            reason,
            cancellationToken);

    private async Task<CrmResult<OpportunityRow>> CreateInSessionAsync(CrmSession s, Guid id, OpportunityDraft draft, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (draft.ContactId is { } contactId && await ContactWriter.FindAsync(s, contactId, cancellationToken) is null)
        {
            return CrmResult<OpportunityRow>.NotFound("contact", contactId);
        }

        if (draft.LeadId is not { } leadId)
        {
            return await OpportunityWriter.CreateAsync(s, fx, id, draft, "Opportunity", actor, now, cancellationToken);
        }

        if (await LeadWriter.FindAsync(s, leadId, forUpdate: true, cancellationToken) is not { } lead)
        {
            return CrmResult<OpportunityRow>.NotFound("lead", leadId);
        }

        switch (lead.Status)
        {
            case LeadStatus.Qualified:
                var conversion = await LeadConversion.ConvertAsync(s, fx, lead, id, draft, actor, now, cancellationToken);
                return conversion.Value is { } done ? CrmResult<OpportunityRow>.Created(done.Opportunity.Opportunity) : conversion.As<OpportunityRow>();
            case LeadStatus.Converted:
                return await OpportunityWriter.CreateAsync(s, fx, id, draft with { ContactId = draft.ContactId ?? lead.ContactId }, lead.Company ?? lead.Name, actor, now, cancellationToken);
            default:
                return CrmResult<OpportunityRow>.Illegal(
                    LeadConversion.Conflict(lead),
                    $"An opportunity comes from a qualified lead (which it converts) or a converted one; this lead is '{lead.Status}'.");
        }
    }

    private Task<CrmResult<OpportunityDetails>> ChangeAsync(
        Guid tenantId,
        Guid id,
        string actor,
        Func<Pipeline, OpportunityRow, OpportunityPatch> patchFor,
        string? reason,
        CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s =>
            {
                if (await OpportunityWriter.FindAsync(s, id, forUpdate: true, cancellationToken) is not { } row)
                {
                    return CrmResult<OpportunityDetails>.NotFound("opportunity", id);
                }

                var pipeline = await TenantCrmContext.PipelineAsync(s, cancellationToken);
                var decision = OpportunityChange.Decide(pipeline, row, patchFor(pipeline, row), reason, time.GetUtcNow());
                if (decision.Result is { } refused)
                {
                    return refused.Value is { } unchanged ? CrmResult<OpportunityDetails>.Ok(await OpportunityWriter.DetailsAsync(s, unchanged, cancellationToken)) : refused.As<OpportunityDetails>();
                }

                var changed = await OpportunityWriter.UpdateAsync(s, row, decision.After!, actor, cancellationToken);
                await PublishAsync(s, row, changed, pipeline, actor, cancellationToken);
                return CrmResult<OpportunityDetails>.Ok(await OpportunityWriter.DetailsAsync(s, changed, cancellationToken));
            },
            cancellationToken);

    /// <summary>
    /// A stage change publishes <see cref="OpportunityStageChanged"/>; closing adds <see cref="OpportunityWon"/> or
    /// <see cref="OpportunityLost"/> with the next sequence number, and a win asks finance for an invoice draft.
    /// </summary>
    private static async Task PublishAsync(CrmSession s, OpportunityRow before, OpportunityRow after, Pipeline pipeline, string actor, CancellationToken cancellationToken)
    {
        if (after.Stage == before.Stage)
        {
            return;
        }

        var at = after.UpdatedAt;
        await s.PublishAsync(
            new OpportunityStageChanged(NewId.NextGuid(), s.TenantId, after.Id, before.Sequence + 1, at, actor, before.Stage, after.Stage, after.Amount, after.Currency, after.Probability),
            cancellationToken);
        var stage = pipeline[after.Stage];
        if (!stage.IsClosed)
        {
            return;
        }

        if (stage.IsWon)
        {
            await s.PublishAsync(new OpportunityWon(NewId.NextGuid(), s.TenantId, after.Id, before.Sequence + 2, at, actor, after.ContactId, after.Amount, after.Currency, at, after.CloseReason), cancellationToken);
            await s.PublishCommandAsync(new RequestInvoiceDraft(s.TenantId, after.Id, after.ContactId, after.Amount, after.Currency, at), NewId.NextGuid(), after.Id, cancellationToken);
        }
        else
        {
            await s.PublishAsync(new OpportunityLost(NewId.NextGuid(), s.TenantId, after.Id, before.Sequence + 2, at, actor, at, after.CloseReason), cancellationToken);
        }
    }

    private static async Task<PipelineTotals> TotalsAsync(CrmSession s, Pipeline pipeline, ListQuery query, CancellationToken cancellationToken)
    {
        var profile = await TenantCrmContext.ProfileAsync(s, cancellationToken);
        var (where, parameters) = query.Where(s);
        var sums = await s.QueryAsync(
            $"SELECT stage, COUNT(*), COALESCE(SUM(amount_tenant_minor), 0), COALESCE(SUM(weighted_tenant_minor), 0) FROM {s.Table("opportunities")}{where} GROUP BY stage",
            r => (Stage: r.GetString(0), Count: Columns.Long(r, 1), Amount: Columns.Long(r, 2), Weighted: Columns.Long(r, 3)),
            cancellationToken,
            parameters);
        var byStage = sums.ToDictionary(x => x.Stage, StringComparer.Ordinal);
        var stages = pipeline.Codes.Concat(byStage.Keys.Except(pipeline.Codes, StringComparer.Ordinal))
            .Select(code => byStage.TryGetValue(code, out var t)
                ? new StageTotal(code, t.Count, Money.FromMinor(t.Amount, profile.Currency), Money.FromMinor(t.Weighted, profile.Currency))
                : new StageTotal(code, 0, Money.FromMinor(0, profile.Currency), Money.FromMinor(0, profile.Currency)))
            .ToList();
        return new PipelineTotals(
            profile.Currency,
            stages,
            Money.FromMinor(sums.Sum(x => x.Amount), profile.Currency),
            Money.FromMinor(sums.Sum(x => x.Weighted), profile.Currency));
    }
}

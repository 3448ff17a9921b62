using BacBos.Consumers.Crm.Domain;
using BacBos.Contracts.Crm;
using MassTransit;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>A new opportunity as asked for (validated for shape; stage and references are checked against the tenant).</summary>
/// <param name="Currency">The opportunity's currency; null means the tenant's.</param>
public sealed record OpportunityDraft(string? Name, Guid? ContactId, Guid? LeadId, decimal Amount, string? Currency, string? Stage, decimal? Probability, DateOnly? CloseDate);

/// <summary>An opportunity with the stages it may move to, its stage history and, once won, its invoice draft.</summary>
public sealed record OpportunityDetails(OpportunityRow Opportunity, IReadOnlyList<string> AllowedStages, IReadOnlyList<StageHistoryRow> History, InvoiceDraftRow? InvoiceDraft);

/// <summary>
/// Opportunity rows, their stage history and their events inside a <see cref="CrmSession"/>. Every write also keeps the
/// amount and the probability-weighted amount in the tenant's currency (recorded FX rate, minor units) so pipeline
/// totals are exact sums in the database.
/// </summary>
internal static class OpportunityWriter
{
    public static Task<OpportunityRow?> FindAsync(CrmSession s, Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        s.SingleAsync(
            $"SELECT {OpportunityRow.Columns} FROM {s.Table("opportunities")} WHERE id = @id{(forUpdate ? s.ForUpdate : string.Empty)}",
            OpportunityRow.Read,
            cancellationToken,
            ("id", s.Id(id)));

    /// <summary>
    /// Creates the opportunity in the draft's stage (the pipeline's first stage by default; never a closed one) with its
    /// probability, the FX rate to the tenant's currency recorded now, a first history entry and <see cref="OpportunityCreated"/>.
    /// </summary>
    public static async Task<CrmResult<OpportunityRow>> CreateAsync(CrmSession s, FxTable fx, Guid id, OpportunityDraft draft, string defaultName, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pipeline = await TenantCrmContext.PipelineAsync(s, cancellationToken);
        var stage = draft.Stage is null ? pipeline.First : pipeline.Find(draft.Stage);
        if (stage is null)
        {
            return CrmResult<OpportunityRow>.Invalid("stage", $"Unknown stage '{draft.Stage}'; this tenant's pipeline has {string.Join(", ", pipeline.Codes)}.");
        }

        if (stage.IsClosed)
        {
            return CrmResult<OpportunityRow>.Invalid("stage", $"A new opportunity cannot start closed ('{stage.Code}'); create it in an open stage ({string.Join(", ", pipeline.Open.Select(o => o.Code))}) and close it with POST /api/v1/opportunities/{{id}}/close.");
        }

        var profile = await TenantCrmContext.ProfileAsync(s, cancellationToken);
        var currency = draft.Currency ?? profile.Currency;
        if (!Money.FitsMinorUnits(draft.Amount, currency))
        {
            return CrmResult<OpportunityRow>.Invalid("amount", $"{currency} has {Money.MinorUnits(currency)} decimal place(s); the amount has more.");
        }

        var quote = fx.Quote(currency, profile.Currency, now);
        if (quote is null)
        {
            return CrmResult<OpportunityRow>.Unprocessable(
                "fx-rate-unavailable",
                $"No exchange rate from {currency} to the tenant's currency {profile.Currency} is configured (Crm:FxRates has {string.Join(", ", fx.Currencies.Order(StringComparer.Ordinal))}).");
        }

        var probability = ProbabilityRules.Initial(stage, draft.Probability);
        var amount = Money.Round(draft.Amount, currency);
        var (amountMinor, weightedMinor) = PipelineAmounts.InTenantCurrency(quote.Rate, profile.Currency, amount, probability.Percent);
        var row = new OpportunityRow(
            id, draft.Name ?? defaultName, draft.ContactId, draft.LeadId, amount, currency, stage.Code, probability.Percent, probability.Overridden,
            draft.CloseDate, null, null, profile.Currency, quote.Rate, quote.Source, quote.RecordedAt, amountMinor, weightedMinor, actor, now, now, 1, 1);
        await s.ExecuteAsync(
            $"INSERT INTO {s.Table("opportunities")} ({OpportunityRow.Columns}) VALUES (@id, @name, @contact, @lead, @amount, @currency, @stage, @probability, @overridden, " +
            "@close_date, NULL, NULL, @tenant_currency, @fx, @fx_source, @fx_at, @amount_minor, @weighted_minor, @by, @at, @at, 1, 1)",
            cancellationToken,
            ("id", s.Id(row.Id)),
            ("name", row.Name),
            ("contact", s.Id(row.ContactId)),
            ("lead", s.Id(row.LeadId)),
            ("amount", row.Amount),
            ("currency", row.Currency),
            ("stage", row.Stage),
            ("probability", row.Probability),
            ("overridden", row.ProbabilityOverridden),
            ("close_date", s.Date(row.CloseDate)),
            ("tenant_currency", row.TenantCurrency),
            ("fx", row.FxRateToTenant),
            ("fx_source", row.FxSource),
            ("fx_at", s.Time(row.FxRecordedAt)),
            ("amount_minor", row.AmountTenantMinor),
            ("weighted_minor", row.WeightedTenantMinor),
            ("by", actor),
            ("at", s.Time(now)));
        await AppendHistoryAsync(s, row, actor, now, cancellationToken);
        await s.PublishAsync(
            new OpportunityCreated(NewId.NextGuid(), s.TenantId, row.Id, 1, now, actor, row.ContactId, row.LeadId, row.Amount, row.Currency, row.Stage, row.Probability, row.CloseDate),
            cancellationToken);
        return CrmResult<OpportunityRow>.Created(row);
    }

    /// <summary>Writes a locked row's new state (version-checked) and a history entry when stage, amount or probability changed.</summary>
    public static async Task<OpportunityRow> UpdateAsync(CrmSession s, OpportunityRow before, OpportunityRow after, string actor, CancellationToken cancellationToken)
    {
        var (amountMinor, weightedMinor) = PipelineAmounts.InTenantCurrency(after.FxRateToTenant, after.TenantCurrency, after.Amount, after.Probability);
        after = after with { AmountTenantMinor = amountMinor, WeightedTenantMinor = weightedMinor, Version = before.Version + 1 };
        var updated = await s.ExecuteAsync(
            $"UPDATE {s.Table("opportunities")} SET name = @name, amount = @amount, stage = @stage, probability = @probability, probability_overridden = @overridden, " +
            "close_date = @close_date, closed_at = @closed_at, close_reason = @reason, amount_tenant_minor = @amount_minor, weighted_tenant_minor = @weighted_minor, " +
            "updated_at = @at, version = @version, sequence = @sequence WHERE id = @id AND version = @expected",
            cancellationToken,
            ("name", after.Name),
            ("amount", after.Amount),
            ("stage", after.Stage),
            ("probability", after.Probability),
            ("overridden", after.ProbabilityOverridden),
            ("close_date", s.Date(after.CloseDate)),
            ("closed_at", s.Time(after.ClosedAt)),
            ("reason", after.CloseReason),
            ("amount_minor", after.AmountTenantMinor),
            ("weighted_minor", after.WeightedTenantMinor),
            ("at", s.Time(after.UpdatedAt)),
            ("version", after.Version),
            ("sequence", after.Sequence),
            ("id", s.Id(before.Id)),
            ("expected", before.Version));
        if (updated != 1)
        {
            throw new System.Data.DBConcurrencyException($"Opportunity {before.Id} changed underneath version {before.Version}.");
        }

        if (after.Stage != before.Stage || after.Amount != before.Amount || after.Probability != before.Probability)
        {
            await AppendHistoryAsync(s, after, actor, after.UpdatedAt, cancellationToken);
        }

        return after;
    }

    /// <summary>The opportunity with its allowed stages, history and invoice draft, read in the same transaction.</summary>
    public static async Task<OpportunityDetails> DetailsAsync(CrmSession s, OpportunityRow row, CancellationToken cancellationToken)
    {
        var pipeline = await TenantCrmContext.PipelineAsync(s, cancellationToken);
        var history = await HistoryAsync(s, row.Id, cancellationToken);
        var draft = await s.SingleAsync(
            $"SELECT {InvoiceDraftRow.Columns} FROM {s.Table("invoice_drafts")} WHERE opportunity_id = @id", InvoiceDraftRow.Read, cancellationToken, ("id", s.Id(row.Id)));
        return new OpportunityDetails(row, pipeline.Find(row.Stage) is null ? [] : OpportunityLifecycle.AllowedFrom(pipeline, row.Stage), history, draft);
    }

    public static Task<List<StageHistoryRow>> HistoryAsync(CrmSession s, Guid opportunityId, CancellationToken cancellationToken) =>
        s.QueryAsync(
            $"SELECT {StageHistoryRow.Columns} FROM {s.Table("opportunity_stage_history")} WHERE opportunity_id = @id ORDER BY id",
            StageHistoryRow.Read,
            cancellationToken,
            ("id", s.Id(opportunityId)));

    private static Task<int> AppendHistoryAsync(CrmSession s, OpportunityRow row, string actor, DateTimeOffset at, CancellationToken cancellationToken) =>
        s.ExecuteAsync(
            $"INSERT INTO {s.Table("opportunity_stage_history")} (opportunity_id, stage, amount, probability, at, actor) VALUES (@id, @stage, @amount, @probability, @at, @actor)",
            cancellationToken,
            ("id", s.Id(row.Id)),
            ("stage", row.Stage),
            ("amount", row.Amount),
            ("probability", row.Probability),
            ("at", s.Time(at)),
            ("actor", actor));
}

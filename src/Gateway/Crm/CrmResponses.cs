using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;

namespace BacBos.Gateway.Crm;

/// <summary>A lead, with the statuses it may move to next.</summary>
public sealed record LeadResponse(
    Guid Id,
    string Name,
    string? Email,
    string? Phone,
    string? Company,
    string Source,
    string Priority,
    string Status,
    IReadOnlyList<string> AllowedTransitions,
    string? Notes,
    string Channel,
    string? ClientLeadId,
    Guid? ContactId,
    Guid? OpportunityId,
    DateTimeOffset? ConvertedAt,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public static LeadResponse From(LeadRow l) => new(
        l.Id, l.Name, l.Email, l.Phone, l.Company, l.Source, l.Priority, l.Status, LeadLifecycle.AllowedFrom(l.Status), l.Notes, l.Channel, l.ClientLeadId,
        l.ContactId, l.OpportunityId, l.ConvertedAt, l.CreatedBy, l.CreatedAt, l.UpdatedAt, l.Version);
}

/// <summary>A contact.</summary>
public sealed record ContactResponse(Guid Id, string Name, string? Email, string? Phone, string? Company, Guid? LeadId, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContactResponse From(ContactRow c) => new(c.Id, c.Name, c.Email, c.Phone, c.Company, c.LeadId, c.CreatedBy, c.CreatedAt, c.UpdatedAt);
}

/// <summary>The FX rate recorded on an opportunity at creation, used for every tenant-currency value of it.</summary>
public sealed record FxResponse(string TenantCurrency, decimal RateToTenant, string Source, DateTimeOffset RecordedAt);

/// <summary>One entry of the stage history.</summary>
public sealed record StageHistoryResponse(string Stage, decimal Amount, decimal Probability, DateTimeOffset At, string Actor);

/// <summary>The invoice draft finance recorded for a won opportunity.</summary>
public sealed record InvoiceDraftResponse(
    Guid Id,
    DateOnly DraftDate,
    decimal Amount,
    string Currency,
    string? TaxRateId,
    string? TaxName,
    decimal? TaxRatePercent,
    bool? TaxInclusive,
    decimal NetAmount,
    decimal TaxAmount,
    decimal Total,
    string? TaxNote,
    DateTimeOffset CreatedAt)
{
    public static InvoiceDraftResponse From(InvoiceDraftRow d) => new(
        d.Id, d.DraftDate, Money.Round(d.Amount, d.Currency), d.Currency, d.TaxRateId, d.TaxName, d.TaxRatePercent is { } r ? OpportunityResponse.Normalize(r) : null, d.TaxInclusive,
        Money.Round(d.NetAmount, d.Currency), Money.Round(d.TaxAmount, d.Currency), Money.Round(d.Total, d.Currency), d.TaxNote, d.CreatedAt);
}

/// <summary>
/// An opportunity: amounts in its currency with the currency's decimals, the same in the tenant's currency at the
/// recorded FX rate, the probability (and whether a person set it), the stages it may move to; on single reads also
/// its stage history and invoice draft.
/// </summary>
public sealed record OpportunityResponse(
    Guid Id,
    string Name,
    Guid? ContactId,
    Guid? LeadId,
    decimal Amount,
    string Currency,
    string Stage,
    IReadOnlyList<string> AllowedStages,
    decimal Probability,
    bool ProbabilityOverridden,
    DateOnly? CloseDate,
    DateTimeOffset? ClosedAt,
    string? CloseReason,
    decimal AmountInTenantCurrency,
    decimal WeightedAmountInTenantCurrency,
    FxResponse Fx,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    IReadOnlyList<StageHistoryResponse>? StageHistory,
    InvoiceDraftResponse? InvoiceDraft)
{
    public static OpportunityResponse From(OpportunityDetails d) =>
        From(d.Opportunity, d.AllowedStages) with
        {
            StageHistory = d.History.Select(h => new StageHistoryResponse(h.Stage, Money.Round(h.Amount, d.Opportunity.Currency), Percent(h.Probability), h.At, h.Actor)).ToList(),
            InvoiceDraft = d.InvoiceDraft is { } draft ? InvoiceDraftResponse.From(draft) : null,
        };

    public static OpportunityResponse From(OpportunityRow o, IReadOnlyList<string> allowedStages) => new(
        o.Id, o.Name, o.ContactId, o.LeadId, Money.Round(o.Amount, o.Currency), o.Currency, o.Stage, allowedStages, Percent(o.Probability), o.ProbabilityOverridden,
        o.CloseDate, o.ClosedAt, o.CloseReason, Money.FromMinor(o.AmountTenantMinor, o.TenantCurrency), Money.FromMinor(o.WeightedTenantMinor, o.TenantCurrency),
        new FxResponse(o.TenantCurrency, Normalize(o.FxRateToTenant), o.FxSource, o.FxRecordedAt), o.CreatedBy, o.CreatedAt, o.UpdatedAt, o.Version, null, null);

    /// <summary>A percentage with at most two decimals and no trailing zeros (25, 33.5).</summary>
    public static decimal Percent(decimal value) => Normalize(decimal.Round(value, 2));

    /// <summary>The same value without trailing zeros (25.000000 → 25): the database's scale is not the API's.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}

/// <summary>What converting a lead made.</summary>
public sealed record ConversionResponse(LeadResponse Lead, ContactResponse Contact, OpportunityResponse Opportunity);

/// <summary>One page of a list.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total, string? Next);

/// <summary>Per-stage pipeline totals in the tenant's currency.</summary>
public sealed record StageTotalResponse(string Stage, long Count, decimal Amount, decimal WeightedAmount);

/// <summary>Pipeline totals of every opportunity the filters match, in the tenant's currency at each one's recorded FX rate.</summary>
public sealed record PipelineResponse(string Currency, IReadOnlyList<StageTotalResponse> Stages, decimal TotalAmount, decimal TotalWeightedAmount)
{
    public static PipelineResponse From(PipelineTotals t) =>
        new(t.Currency, t.Stages.Select(s => new StageTotalResponse(s.Stage, s.Count, s.Amount, s.WeightedAmount)).ToList(), t.Amount, t.WeightedAmount);
}

/// <summary>A page of opportunities with the pipeline totals.</summary>
public sealed record OpportunityPageResponse(IReadOnlyList<OpportunityResponse> Items, int Page, int PageSize, long Total, string? Next, PipelineResponse Pipeline);

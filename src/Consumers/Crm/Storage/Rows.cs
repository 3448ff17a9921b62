using System.Data.Common;
using C = BacBos.Consumers.Crm.Storage.Columns;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>A lead as stored.</summary>
public sealed record LeadRow(
    Guid Id,
    string Name,
    string? Email,
    string? Phone,
    string? Company,
    string Source,
    string Priority,
    string Status,
    string? Notes,
    string Channel,
    string? ClientLeadId,
    Guid? ContactId,
    Guid? OpportunityId,
    DateTimeOffset? ConvertedAt,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    long Sequence)
{
    public const string Columns =
        "id, name, email, phone, company, source, priority, status, notes, channel, client_lead_id, contact_id, opportunity_id, converted_at, created_by, created_at, updated_at, version, sequence";

    public static LeadRow Read(DbDataReader r) => new(
        C.Id(r, 0), C.Text(r, 1), C.NullableText(r, 2), C.NullableText(r, 3), C.NullableText(r, 4), C.Text(r, 5), C.Text(r, 6), C.Text(r, 7), C.NullableText(r, 8),
        C.Text(r, 9), C.NullableText(r, 10), C.NullableId(r, 11), C.NullableId(r, 12), C.NullableTime(r, 13), C.Text(r, 14), C.Time(r, 15), C.Time(r, 16), C.Int(r, 17), C.Long(r, 18));
}

/// <summary>A contact as stored.</summary>
public sealed record ContactRow(
    Guid Id,
    string Name,
    string? Email,
    string? Phone,
    string? Company,
    Guid? LeadId,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public const string Columns = "id, name, email, phone, company, lead_id, created_by, created_at, updated_at, version";

    public static ContactRow Read(DbDataReader r) => new(
        C.Id(r, 0), C.Text(r, 1), C.NullableText(r, 2), C.NullableText(r, 3), C.NullableText(r, 4), C.NullableId(r, 5), C.Text(r, 6), C.Time(r, 7), C.Time(r, 8), C.Int(r, 9));
}

/// <summary>An opportunity as stored (amounts exact; the tenant-currency values in minor units).</summary>
public sealed record OpportunityRow(
    Guid Id,
    string Name,
    Guid? ContactId,
    Guid? LeadId,
    decimal Amount,
    string Currency,
    string Stage,
    decimal Probability,
    bool ProbabilityOverridden,
    DateOnly? CloseDate,
    DateTimeOffset? ClosedAt,
    string? CloseReason,
    string TenantCurrency,
    decimal FxRateToTenant,
    string FxSource,
    DateTimeOffset FxRecordedAt,
    long AmountTenantMinor,
    long WeightedTenantMinor,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    long Sequence)
{
    public const string Columns =
        "id, name, contact_id, lead_id, amount, currency, stage, probability, probability_overridden, close_date, closed_at, close_reason, tenant_currency, " +
        "fx_rate_to_tenant, fx_source, fx_recorded_at, amount_tenant_minor, weighted_tenant_minor, created_by, created_at, updated_at, version, sequence";

    public static OpportunityRow Read(DbDataReader r) => new(
        C.Id(r, 0), C.Text(r, 1), C.NullableId(r, 2), C.NullableId(r, 3), C.Decimal(r, 4), C.Text(r, 5), C.Text(r, 6), C.Decimal(r, 7), C.Bool(r, 8), C.NullableDate(r, 9),
        C.NullableTime(r, 10), C.NullableText(r, 11), C.Text(r, 12), C.Decimal(r, 13), C.Text(r, 14), C.Time(r, 15), C.Long(r, 16), C.Long(r, 17), C.Text(r, 18), C.Time(r, 19),
        C.Time(r, 20), C.Int(r, 21), C.Long(r, 22));
}

/// <summary>One entry of an opportunity's stage history: the stage, amount and probability after a change.</summary>
public sealed record StageHistoryRow(string Stage, decimal Amount, decimal Probability, DateTimeOffset At, string Actor)
{
    public const string Columns = "stage, amount, probability, at, actor";

    public static StageHistoryRow Read(DbDataReader r) => new(C.Text(r, 0), C.Decimal(r, 1), C.Decimal(r, 2), C.Time(r, 3), C.Text(r, 4));
}

/// <summary>An invoice draft recorded for a won opportunity.</summary>
public sealed record InvoiceDraftRow(
    Guid Id,
    Guid OpportunityId,
    Guid? ContactId,
    decimal Amount,
    string Currency,
    DateOnly DraftDate,
    string? TaxRateId,
    string? TaxName,
    decimal? TaxRatePercent,
    bool? TaxInclusive,
    decimal NetAmount,
    decimal TaxAmount,
    decimal Total,
    string? TaxNote,
    DateTimeOffset RequestedAt,
    DateTimeOffset CreatedAt)
{
    public const string Columns =
        "id, opportunity_id, contact_id, amount, currency, draft_date, tax_rate_id, tax_name, tax_rate_percent, tax_inclusive, net_amount, tax_amount, total, tax_note, requested_at, created_at";

    public static InvoiceDraftRow Read(DbDataReader r) => new(
        C.Id(r, 0), C.Id(r, 1), C.NullableId(r, 2), C.Decimal(r, 3), C.Text(r, 4), C.Date(r, 5), C.NullableText(r, 6), C.NullableText(r, 7), C.NullableDecimal(r, 8),
        C.NullableBool(r, 9), C.Decimal(r, 10), C.Decimal(r, 11), C.Decimal(r, 12), C.NullableText(r, 13), C.Time(r, 14), C.Time(r, 15));
}

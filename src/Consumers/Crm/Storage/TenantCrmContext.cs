using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>What CRM rules read about the tenant inside a CRM transaction: its currency and country, and its pipeline.</summary>
internal static class TenantCrmContext
{
    public sealed record Profile(string Currency, string Region);

    /// <summary>The tenant's currency and country from the platform's tenant row.</summary>
    public static async Task<Profile> ProfileAsync(CrmSession session, CancellationToken cancellationToken) =>
        await session.SingleAsync(
            "SELECT currency, region FROM tenants WHERE id = @t",
            r => new Profile(r.GetString(0).ToUpperInvariant(), r.GetString(1).ToUpperInvariant()),
            cancellationToken,
            ("t", session.Id(session.TenantId)))
        ?? throw new InvalidOperationException($"Tenant {session.TenantId} has storage but no tenant row.");

    /// <summary>The tenant's seeded tax rates, every period (its <c>tax_rates</c> table).</summary>
    public static Task<List<TaxRate>> TaxRatesAsync(CrmSession session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT id, country, subdivision, tax_type, name, rate_percent, valid_from, valid_to, inclusive FROM {session.Table("tax_rates")}",
            r => new TaxRate(r.GetString(0), r.GetString(1), Columns.NullableText(r, 2), r.GetString(3), r.GetString(4), r.GetDecimal(5), Columns.Date(r, 6), Columns.NullableDate(r, 7), r.GetBoolean(8)),
            cancellationToken);

    /// <summary>The tenant's seeded pipeline (the default pipeline when none was seeded).</summary>
    public static async Task<Pipeline> PipelineAsync(CrmSession session, CancellationToken cancellationToken) =>
        new(await session.QueryAsync(
            $"SELECT code, name, position, default_probability, is_closed, is_won FROM {session.Table("pipeline_stages")}",
            r => new PipelineStage(r.GetString(0), r.GetString(1), Columns.Int(r, 2), r.GetDecimal(3), r.GetBoolean(4), r.GetBoolean(5)),
            cancellationToken));
}

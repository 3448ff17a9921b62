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

    /// <summary>The tenant's seeded pipeline (the default pipeline when none was seeded).</summary>
    public static async Task<Pipeline> PipelineAsync(CrmSession session, CancellationToken cancellationToken) =>
        new(await session.QueryAsync(
            $"SELECT code, name, position, default_probability, is_closed, is_won FROM {session.Table("pipeline_stages")}",
            r => new PipelineStage(r.GetString(0), r.GetString(1), Columns.Int(r, 2), r.GetDecimal(3), r.GetBoolean(4), r.GetBoolean(5)),
            cancellationToken));
}

using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.Steps;
using BacBos.Platform.Data;
using BacBos.Platform.Tenancy;

namespace BacBos.Consumers.Activation.SeedData;

/// <summary>
/// Seeds a tenant's storage in one transaction: chart of accounts, the tax rates of its country (with validity
/// periods), CRM pipeline stages, email templates, the products/services from the input, SLA policies and settings.
/// Every row has a natural key and is inserted with <c>ON CONFLICT DO NOTHING</c>, so a repeat inserts nothing.
/// </summary>
public sealed class TenantSeeder(TenantDatabases tenants)
{
    public sealed record SeedCounts(int Accounts, int TaxRates, int PipelineStages, int EmailTemplates, int Products, int SlaPolicies, int Settings)
    {
        public int Total => Accounts + TaxRates + PipelineStages + EmailTemplates + Products + SlaPolicies + Settings;
    }

    /// <summary>Seeds; <paramref name="beforeCommit"/> runs in the same transaction when rows were inserted.</summary>
    public async Task<SeedCounts> SeedAsync(TenantContext tenant, CancellationToken cancellationToken, Func<DbSession, SeedCounts, Task>? beforeCommit = null)
    {
        if (!await tenants.ExistsAsync(tenant.TenantId, cancellationToken))
        {
            throw new PermanentStepException($"tenant storage for {tenant.TenantId} does not exist (step 5 did not run)");
        }

        var input = tenant.Input;
        var p = tenants.Prefix(tenant.TenantId);
        await using var s = await tenants.BeginAsync(tenant.TenantId, cancellationToken);

        async Task<int> Insert(string sql, params (string, object?)[] args) => await s.ExecuteAsync(sql + " ON CONFLICT DO NOTHING", cancellationToken, args);

        var accounts = 0;
        foreach (var a in ChartOfAccountsTemplate.Default)
        {
            accounts += await Insert($"INSERT INTO {p}chart_of_accounts (code, name, type, parent_code) VALUES (@c, @n, @t, @p)", ("c", a.Code), ("n", a.Name), ("t", a.Type), ("p", a.ParentCode));
        }

        var taxes = 0;
        foreach (var r in TaxRateCatalog.For(input.Region!))
        {
            taxes += await Insert(
                $"INSERT INTO {p}tax_rates (id, country, subdivision, tax_type, name, rate_percent, valid_from, valid_to, inclusive, source, notes) " +
                "VALUES (@id, @c, @sd, @tt, @n, @r, @f, @to, @inc, @src, @notes)",
                ("id", $"{r.Country}:{r.Subdivision ?? "*"}:{r.TaxType}:{r.Name}:{r.ValidFrom:yyyy-MM-dd}"),
                ("c", r.Country),
                ("sd", r.Subdivision),
                ("tt", r.TaxType),
                ("n", r.Name),
                ("r", r.RatePercent),
                ("f", r.ValidFrom),
                ("to", r.ValidTo),
                ("inc", r.Inclusive),
                ("src", r.Source),
                ("notes", r.Notes));
        }

        var stages = 0;
        foreach (var st in PipelineStageSeeds.Default)
        {
            stages += await Insert(
                $"INSERT INTO {p}pipeline_stages (code, name, position, default_probability, is_closed, is_won) VALUES (@c, @n, @pos, @prob, @closed, @won)",
                ("c", st.Code), ("n", st.Name), ("pos", st.Position), ("prob", st.DefaultProbability), ("closed", st.IsClosed), ("won", st.IsWon));
        }

        var templates = 0;
        foreach (var t in EmailTemplateSeeds.Default)
        {
            templates += await Insert($"INSERT INTO {p}email_templates (code, subject, body_text) VALUES (@c, @s, @b)", ("c", t.Code), ("s", t.Subject), ("b", t.BodyText));
        }

        var products = 0;
        foreach (var product in input.Products ?? [])
        {
            products += await Insert(
                $"INSERT INTO {p}products (sku, name, kind, price, currency, description) VALUES (@sku, @n, @k, @price, @cur, @d)",
                ("sku", string.IsNullOrWhiteSpace(product.Sku) ? TenantContext.Slugify(product.Name!) : product.Sku),
                ("n", product.Name),
                ("k", product.Kind ?? "product"),
                ("price", product.Price),
                ("cur", input.Currency),
                ("d", product.Description));
        }

        var sla = 0;
        foreach (var policy in SlaPolicySeeds.Default)
        {
            sla += await Insert(
                $"INSERT INTO {p}sla_policies (priority, first_response_minutes, resolution_minutes, business_hours_only) VALUES (@p, @f, @r, @b)",
                ("p", policy.Priority), ("f", policy.FirstResponseMinutes), ("r", policy.ResolutionMinutes), ("b", policy.BusinessHoursOnly));
        }

        var settings = 0;
        foreach (var (key, value) in new Dictionary<string, string?>
                 {
                     ["business_name"] = input.BusinessName,
                     ["region"] = input.Region,
                     ["currency"] = input.Currency,
                     ["industry"] = input.Industry,
                     ["plan"] = tenant.Plan,
                     ["domain"] = input.Domain,
                 })
        {
            if (value is not null)
            {
                settings += await Insert($"INSERT INTO {p}settings (key, value) VALUES (@k, @v)", ("k", key), ("v", value));
            }
        }

        var counts = new SeedCounts(accounts, taxes, stages, templates, products, sla, settings);
        if (counts.Total > 0 && beforeCommit is not null)
        {
            await beforeCommit(s, counts);
        }

        await s.CommitAsync(cancellationToken);
        return counts;
    }

    /// <summary>Removes every seeded row; returns false when the tenant's storage is already gone.</summary>
    public async Task<bool> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!await tenants.ExistsAsync(tenant.TenantId, cancellationToken))
        {
            return false;
        }

        var p = tenants.Prefix(tenant.TenantId);
        await using var s = await tenants.BeginAsync(tenant.TenantId, cancellationToken);
        foreach (var table in new[] { "chart_of_accounts", "tax_rates", "pipeline_stages", "email_templates", "products", "sla_policies", "settings" })
        {
            await s.ExecuteAsync($"DELETE FROM {p}{table}", cancellationToken);
        }

        await s.CommitAsync(cancellationToken);
        return true;
    }
}

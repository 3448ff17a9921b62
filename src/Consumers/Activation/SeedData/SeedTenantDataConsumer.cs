using System.Globalization;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using static BacBos.Consumers.Activation.SeedData.TenantSeeder;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.SeedData;

/// <summary>Step 8: seed the tenant's storage.</summary>
public sealed class SeedTenantDataConsumer(TenantSeeder seeder, ProvisioningLog log, ILogger<SeedTenantDataConsumer> logger, BusOptions bus)
    : CompensableStepConsumer<SeedTenantData, RemoveSeedData>(logger, bus)
{
    protected override async Task<StepOutcome> Execute(SeedTenantData command, CancellationToken cancellationToken)
    {
        var tenant = TenantContext.From(command);
        SeedCounts? seeded = null;
        var inTransaction = log.InTenantTransaction(tenant, command.Step, "seeded", () => seeded?.ToString(), cancellationToken);
        var counts = await seeder.SeedAsync(tenant, cancellationToken, inTransaction is null ? null : (session, c) =>
        {
            seeded = c;
            return inTransaction(session);
        });
        if (counts.Total > 0 && inTransaction is null)
        {
            await log.RecordAsync(tenant, command.Step, "seeded", counts.ToString(), cancellationToken);
        }

        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var taxNote = TaxRateCatalog.RequiresTaxEngine(command.Input.Region!) ? " (placeholder: this country needs a tax-engine adapter)" : string.Empty;
        return StepOutcome.Done(
            counts.Total > 0 ? $"seeded {N(counts.Total)} row(s){taxNote}" : "seed data already present",
            new Dictionary<string, string>
            {
                ["accounts"] = N(counts.Accounts),
                ["tax_rates"] = N(counts.TaxRates),
                ["pipeline_stages"] = N(counts.PipelineStages),
                ["email_templates"] = N(counts.EmailTemplates),
                ["products"] = N(counts.Products),
                ["sla_policies"] = N(counts.SlaPolicies),
            });
    }

    protected override async Task<string> Compensate(RemoveSeedData command, CancellationToken cancellationToken) =>
        await seeder.RemoveAsync(TenantContext.From(command), cancellationToken) ? "seeded rows removed" : "tenant storage already gone";
}

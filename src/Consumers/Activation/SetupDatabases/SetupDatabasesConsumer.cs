using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using BacBos.Platform.Tenancy;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.SetupDatabases;

/// <summary>
/// Step 5: the tenant's relational schema (PostgreSQL schema or per-tenant SQLite file, with the tenant migrations),
/// then cache, object storage and analytics through their drivers; each part's result is an output of the step.
/// </summary>
public sealed class SetupDatabasesConsumer(
    TenantDatabases tenants,
    Database database,
    ICacheDriver cache,
    IObjectStorageDriver storage,
    IAnalyticsDriver analytics,
    ProvisioningLog log,
    ILogger<SetupDatabasesConsumer> logger,
    BusOptions bus)
    : CompensableStepConsumer<Contracts.Activation.SetupDatabases, TeardownDatabases>(logger, bus)
{
    protected override async Task<StepOutcome> Execute(Contracts.Activation.SetupDatabases command, CancellationToken cancellationToken)
    {
        var tenant = TenantContext.From(command);
        var inTransaction = log.InTenantTransaction(tenant, command.Step, "schema-created", () => "tenant schema", cancellationToken);
        var applied = await tenants.EnsureCreatedAsync(tenant.TenantId, cancellationToken, inTransaction is null ? null : (session, _) => inTransaction(session));
        if (applied.Count > 0 && inTransaction is null)
        {
            await log.RecordAsync(tenant, command.Step, "schema-created", string.Join(',', applied), cancellationToken);
        }

        var location = database.IsPostgres ? $"postgres schema {TenantDatabases.SchemaName(tenant.TenantId)}" : $"sqlite tenants/{tenant.TenantId:N}.db";
        var summary = new Dictionary<string, string> { ["database"] = applied.Count > 0 ? $"{location} created" : $"{location} present" };
        var outputs = new Dictionary<string, string>(summary);
        foreach (var driver in new IProvisioningDriver[] { cache, storage, analytics })
        {
            var outcome = await driver.ApplyAsync(tenant, cancellationToken);
            summary[driver.Name] = outputs[driver.Name] = outcome.Skipped ? "skipped: " + outcome.Detail : outcome.Detail;

            // What the driver made (user, key prefix, bucket and database names) as "{driver}.{key}"; never secrets.
            foreach (var (key, value) in outcome.Outputs ?? new Dictionary<string, string>())
            {
                if (key != "changed")
                {
                    outputs[$"{driver.Name}.{key}"] = value;
                }
            }
        }

        return StepOutcome.Done(string.Join("; ", summary.Select(o => $"{o.Key}: {o.Value}")), outputs);
    }

    protected override async Task<string> Compensate(TeardownDatabases command, CancellationToken cancellationToken)
    {
        var tenant = TenantContext.From(command);
        var removed = new List<string>();
        foreach (var driver in new IProvisioningDriver[] { analytics, storage, cache })
        {
            removed.Add(await driver.RemoveAsync(tenant, cancellationToken));
        }

        if (await tenants.DropAsync(tenant.TenantId, cancellationToken))
        {
            await log.RecordAsync(tenant, command.Step, "schema-dropped", null, cancellationToken);
            removed.Add("tenant database dropped");
        }

        return string.Join("; ", removed);
    }
}

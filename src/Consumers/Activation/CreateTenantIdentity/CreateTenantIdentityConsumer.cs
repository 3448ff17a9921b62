using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.CreateTenantIdentity;

/// <summary>Step 2: tenant record, API key, webhook secret and admin user — once per activation.</summary>
public sealed class CreateTenantIdentityConsumer(TenantIdentityStore store, ILogger<CreateTenantIdentityConsumer> logger, BusOptions bus)
    : CompensableStepConsumer<Contracts.Activation.CreateTenantIdentity, DeleteTenantIdentity>(logger, bus)
{
    protected override async Task<StepOutcome> Execute(Contracts.Activation.CreateTenantIdentity command, CancellationToken cancellationToken)
    {
        var (created, adminUsername) = await store.CreateAsync(TenantContext.From(command), cancellationToken);
        return StepOutcome.Done(
            created ? "tenant, API key, webhook secret and admin user created" : "tenant identity already recorded",
            new Dictionary<string, string> { ["tenant_id"] = command.TenantId.ToString("D"), ["admin_username"] = adminUsername });
    }

    protected override async Task<string> Compensate(DeleteTenantIdentity command, CancellationToken cancellationToken) =>
        await store.DeleteAsync(TenantContext.From(command), cancellationToken)
            ? "tenant, keys, secrets and users deleted"
            : "no tenant identity to delete";
}

namespace BacBos.Contracts.Activation;

/// <summary>Step 5: per-tenant database schema, cache namespace, object storage and analytics tables.</summary>
public sealed record SetupDatabases(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.SetupDatabases;
}

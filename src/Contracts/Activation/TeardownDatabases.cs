namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 5: drops the tenant's schema and data stores.</summary>
public sealed record TeardownDatabases(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.SetupDatabases;
}

namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 4: removes the tenant's namespace resources.</summary>
public sealed record DeprovisionNamespace(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.ProvisionInfrastructure;
}

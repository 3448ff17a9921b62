namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 2: removes the tenant record, its keys, secrets and users.</summary>
public sealed record DeleteTenantIdentity(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.CreateTenantIdentity;
}

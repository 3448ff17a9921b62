namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 6: removes the tenant's deployments from GitOps.</summary>
public sealed record RemoveServices(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.DeployServices;
}

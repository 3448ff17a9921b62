namespace BacBos.Contracts.Activation;

/// <summary>Step 4: namespace, network policies, RBAC and quotas for the tenant.</summary>
public sealed record ProvisionNamespace(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.ProvisionInfrastructure;
}

namespace BacBos.Contracts.Activation;

/// <summary>Step 6: per enabled module, render deployment values and hand them to GitOps.</summary>
public sealed record DeployServices(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.DeployServices;
}

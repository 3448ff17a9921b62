namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 10: removes the copilot configuration.</summary>
public sealed record DisableCopilots(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.EnableCopilots;
}

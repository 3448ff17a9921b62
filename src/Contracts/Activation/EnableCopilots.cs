namespace BacBos.Contracts.Activation;

/// <summary>Step 10: AI copilot configuration per enabled module.</summary>
public sealed record EnableCopilots(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.EnableCopilots;
}

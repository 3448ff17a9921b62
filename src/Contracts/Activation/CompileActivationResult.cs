namespace BacBos.Contracts.Activation;

/// <summary>Step 11: compile the ActivationResult (endpoints, credentials reference, next steps).</summary>
public sealed record CompileActivationResult(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.CompileResult;
}

namespace BacBos.Contracts.Activation;

/// <summary>Step 1: validate the business profile again on the worker side (it may arrive from the bus, not only through the gateway).</summary>
public sealed record ValidateActivationInput(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.ValidateInput;
}

namespace BacBos.Contracts.Activation;

/// <summary>Step 3: merge the industry preset with the feature toggles into the tenant's module list.</summary>
public sealed record ApplyIndustryPreset(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.ApplyIndustryPreset;
}

namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 3: clears the tenant's stored module list.</summary>
public sealed record RevertIndustryPreset(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.ApplyIndustryPreset;
}

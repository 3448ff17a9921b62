namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 8: removes the seeded rows.</summary>
public sealed record RemoveSeedData(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.SeedData;
}

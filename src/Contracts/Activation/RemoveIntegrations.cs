namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 7: removes webhooks and stored integration credentials.</summary>
public sealed record RemoveIntegrations(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.ConfigureIntegrations;
}

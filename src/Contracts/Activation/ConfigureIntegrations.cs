namespace BacBos.Contracts.Activation;

/// <summary>Step 7: payment webhooks, messaging channels, email sending domain.</summary>
public sealed record ConfigureIntegrations(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.ConfigureIntegrations;
}

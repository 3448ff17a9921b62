namespace BacBos.Contracts.Activation;

/// <summary>Step 9: DNS records and TLS certificates for the tenant's domains.</summary>
public sealed record ConfigureDnsAndTls(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.ConfigureDnsAndTls;
}

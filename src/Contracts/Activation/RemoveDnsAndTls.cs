namespace BacBos.Contracts.Activation;

/// <summary>Compensates step 9: removes DNS records and certificates.</summary>
public sealed record RemoveDnsAndTls(Guid ActivationId, Guid TenantId, BusinessActivationInput Input) : IActivationCompensationCommand
{
    public ActivationStep Step => ActivationStep.ConfigureDnsAndTls;
}

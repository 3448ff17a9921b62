namespace BacBos.Contracts.Activation;

/// <summary>Step 2: record the tenant, its API key, webhook secret and admin user.</summary>
public sealed record CreateTenantIdentity(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.CreateTenantIdentity;
}

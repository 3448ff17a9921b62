namespace BacBos.Contracts.Activation;

/// <summary>Step 8: chart of accounts, tax rates, CRM pipeline, email templates, products, SLA policies.</summary>
public sealed record SeedTenantData(Guid ActivationId, Guid TenantId, int Attempt, BusinessActivationInput Input, IReadOnlyList<string> Modules)
    : IActivationStepCommand
{
    public ActivationStep Step => ActivationStep.SeedData;
}

using BacBos.Contracts.Activation;

namespace BacBos.Sagas.Activation;

/// <summary>Builds the per-step command (and compensation command) for the current state of an activation.</summary>
public static class ActivationCommands
{
    public static object Create(ActivationStep step, ActivationState s, int attempt)
    {
        var (id, tenant, input, modules) = (s.CorrelationId, s.TenantId, s.Input, (IReadOnlyList<string>)s.Modules.ToArray());
        return step switch
        {
            ActivationStep.ValidateInput => new ValidateActivationInput(id, tenant, attempt, input, modules),
            ActivationStep.CreateTenantIdentity => new CreateTenantIdentity(id, tenant, attempt, input, modules),
            ActivationStep.ApplyIndustryPreset => new ApplyIndustryPreset(id, tenant, attempt, input, modules),
            ActivationStep.ProvisionInfrastructure => new ProvisionNamespace(id, tenant, attempt, input, modules),
            ActivationStep.SetupDatabases => new SetupDatabases(id, tenant, attempt, input, modules),
            ActivationStep.DeployServices => new DeployServices(id, tenant, attempt, input, modules),
            ActivationStep.ConfigureIntegrations => new ConfigureIntegrations(id, tenant, attempt, input, modules),
            ActivationStep.SeedData => new SeedTenantData(id, tenant, attempt, input, modules),
            ActivationStep.ConfigureDnsAndTls => new ConfigureDnsAndTls(id, tenant, attempt, input, modules),
            ActivationStep.EnableCopilots => new EnableCopilots(id, tenant, attempt, input, modules),
            ActivationStep.CompileResult => new CompileActivationResult(id, tenant, attempt, input, modules),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Unknown activation step"),
        };
    }

    public static object CreateCompensation(ActivationStep step, ActivationState s)
    {
        var (id, tenant, input) = (s.CorrelationId, s.TenantId, s.Input);
        return step switch
        {
            ActivationStep.CreateTenantIdentity => new DeleteTenantIdentity(id, tenant, input),
            ActivationStep.ApplyIndustryPreset => new RevertIndustryPreset(id, tenant, input),
            ActivationStep.ProvisionInfrastructure => new DeprovisionNamespace(id, tenant, input),
            ActivationStep.SetupDatabases => new TeardownDatabases(id, tenant, input),
            ActivationStep.DeployServices => new RemoveServices(id, tenant, input),
            ActivationStep.ConfigureIntegrations => new RemoveIntegrations(id, tenant, input),
            ActivationStep.SeedData => new RemoveSeedData(id, tenant, input),
            ActivationStep.ConfigureDnsAndTls => new RemoveDnsAndTls(id, tenant, input),
            ActivationStep.EnableCopilots => new DisableCopilots(id, tenant, input),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Step has no compensation"),
        };
    }
}

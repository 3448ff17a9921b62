namespace BacBos.Contracts.Activation;

/// <summary>The 11 steps of the activation workflow (seed §1.2), in execution order.</summary>
public enum ActivationStep
{
    ValidateInput = 1,
    CreateTenantIdentity = 2,
    ApplyIndustryPreset = 3,
    ProvisionInfrastructure = 4,
    SetupDatabases = 5,
    DeployServices = 6,
    ConfigureIntegrations = 7,
    SeedData = 8,
    ConfigureDnsAndTls = 9,
    EnableCopilots = 10,
    CompileResult = 11,
}

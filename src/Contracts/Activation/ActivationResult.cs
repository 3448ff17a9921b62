namespace BacBos.Contracts.Activation;

/// <summary>What an activation produces (seed step 11).</summary>
public sealed record ActivationResult(
    Guid TenantId,
    Guid ActivationId,
    string BusinessName,
    string Status,
    ActivationEndpoints Endpoints,
    ActivationCredentials Credentials,
    IReadOnlyList<string> Modules,
    IReadOnlyList<OnboardingStep> NextSteps);

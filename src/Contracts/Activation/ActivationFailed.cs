namespace BacBos.Contracts.Activation;

/// <summary>Event: an activation failed; completed steps were compensated.</summary>
public sealed record ActivationFailed(Guid ActivationId, Guid TenantId, ActivationStep FailedStep, string Reason, DateTimeOffset FailedAt);

namespace BacBos.Contracts.Activation;

/// <summary>Event: a tenant is live.</summary>
public sealed record ActivationCompleted(Guid ActivationId, Guid TenantId, string BusinessName, DateTimeOffset CompletedAt);

namespace BacBos.Contracts.Activation;

/// <summary>
/// Starts an activation. Idempotent on <paramref name="ActivationId"/>: a repeat for an activation that already
/// started changes nothing. Other systems may send it straight to the bus (queue <c>bacbos-activation-state</c>).
/// </summary>
public sealed record SubmitActivation(Guid ActivationId, BusinessActivationInput Input, DateTimeOffset SubmittedAt);

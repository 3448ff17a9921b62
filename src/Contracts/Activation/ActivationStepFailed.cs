namespace BacBos.Contracts.Activation;

/// <summary>Reply from a step consumer: the step failed. Transient failures are retried by the saga's policy.</summary>
public sealed record ActivationStepFailed(Guid ActivationId, ActivationStep Step, int Attempt, string Reason, bool Transient);

namespace BacBos.Contracts.Activation;

/// <summary>Reply from a step consumer: its compensation failed and needs an operator.</summary>
public sealed record ActivationStepCompensationFailed(Guid ActivationId, ActivationStep Step, string Reason);

namespace BacBos.Contracts.Activation;

/// <summary>Reply from a step consumer: its compensation ran (or had nothing to undo).</summary>
public sealed record ActivationStepCompensated(Guid ActivationId, ActivationStep Step, string? Detail);

namespace BacBos.Contracts.Activation;

/// <summary>A step's attempt did not answer before its deadline. Ignored unless it names the attempt still running.</summary>
public sealed record ActivationStepTimedOut(Guid ActivationId, ActivationStep Step, int Attempt);

namespace BacBos.Contracts.Activation;

/// <summary>Reply to <see cref="CompileActivationResult"/> (step 11). The credentials in it carry no secrets.</summary>
public sealed record ActivationResultCompiled(Guid ActivationId, int Attempt, ActivationResult Result);

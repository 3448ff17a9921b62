namespace BacBos.Contracts.Activation;

/// <summary>
/// Reply from a step consumer: the step is done. <paramref name="Skipped"/> with <paramref name="Detail"/> as the reason
/// when no driver is configured for it. <paramref name="Outputs"/> are shown on the activation's progress resource.
/// </summary>
public sealed record ActivationStepCompleted(
    Guid ActivationId,
    ActivationStep Step,
    int Attempt,
    bool Skipped,
    string? Detail,
    IReadOnlyDictionary<string, string>? Outputs = null);

namespace BacBos.Contracts.Activation;

/// <summary>
/// Operator command: run a failed activation again once the cause is fixed. Every step that is not completed
/// (failed, compensated, skipped) is run again in order, starting with the earliest; completed steps are kept.
/// </summary>
public sealed record ResumeActivation(Guid ActivationId, string RequestedBy, DateTimeOffset RequestedAt);

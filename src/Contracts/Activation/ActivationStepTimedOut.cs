namespace BacBos.Contracts.Activation;

/// <summary>A step's attempt did not answer before its deadline. Ignored unless it names the attempt still running.</summary>
public sealed record ActivationStepTimedOut(Guid ActivationId, ActivationStep Step, int Attempt);

/// <summary>
/// The scheduled deadline of one step (or compensation) attempt, sent by the message scheduler to the saga that armed
/// it. A separate type from <see cref="ActivationStepTimedOut"/> (which an operator tool or the in-memory watchdog may
/// publish) so that only scheduled messages carrying the saga's scheduling token take part in MassTransit's
/// schedule-token bookkeeping.
/// </summary>
public sealed record ActivationStepDeadline(Guid ActivationId, ActivationStep Step, int Attempt)
{
    public ActivationStepTimedOut AsTimedOut() => new(ActivationId, Step, Attempt);
}

using BacBos.Contracts.Activation;

namespace BacBos.Sagas.Activation;

/// <summary>Progress of one step inside <see cref="ActivationState"/>.</summary>
public sealed class ActivationStepState
{
    public ActivationStep Step { get; set; }

    public ActivationStepStatus Status { get; set; } = ActivationStepStatus.Pending;

    /// <summary>Attempts dispatched for the step (its forward command).</summary>
    public int Attempts { get; set; }

    /// <summary>Compensation commands dispatched for the step.</summary>
    public int CompensationAttempts { get; set; }

    /// <summary>Attempts made before the last operator resume; retry limits count only the attempts since.</summary>
    public int AttemptsBeforeResume { get; set; }

    /// <summary>Compensation attempts made before the last operator resume.</summary>
    public int CompensationAttemptsBeforeResume { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When the running attempt (or compensation) is considered lost.</summary>
    public DateTimeOffset? DeadlineAt { get; set; }

    public string? Detail { get; set; }

    public string? Error { get; set; }

    /// <summary>The step's outcome is unknown (it timed out), so compensation must also cover it.</summary>
    public bool OutcomeUnknown { get; set; }

    public Dictionary<string, string>? Outputs { get; set; }
}

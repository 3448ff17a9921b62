using BacBos.Contracts.Activation;
using BacBos.Platform.Sagas;

namespace BacBos.Sagas.Activation;

/// <summary>The activation saga instance; also the activation's progress record (it is never deleted).</summary>
public sealed class ActivationState : IPersistedSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Version { get; set; }

    /// <summary>Allocated when the activation is submitted, so every retry of step 2 names the same tenant.</summary>
    public Guid TenantId { get; set; }

    public BusinessActivationInput Input { get; set; } = null!;

    public List<string> Modules { get; set; } = [];

    public List<ActivationStepState> Steps { get; set; } = [];

    public ActivationStep? CurrentStep { get; set; }

    public ActivationStep? FailedStep { get; set; }

    public string? FailureReason { get; set; }

    public ActivationResult? Result { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The scheduling token of the pending step deadline (MassTransit <c>Schedule</c>); null when none is armed.</summary>
    public Guid? DeadlineToken { get; set; }

    /// <summary>Which dispatch (step, phase, attempt) the armed deadline belongs to, so each dispatch arms exactly one.</summary>
    public string? DeadlineFor { get; set; }

    /// <summary>How often an operator resumed this activation after a failure, and why it failed each time.</summary>
    public List<string> ResumeHistory { get; set; } = [];

    public ActivationStepState Step(ActivationStep step) => Steps.First(s => s.Step == step);
}

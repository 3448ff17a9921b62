using BacBos.Contracts.Activation;

namespace BacBos.Sagas.Activation;

/// <summary>Which phase an activation is in; derived from its state, never stored separately.</summary>
public enum ActivationPhase
{
    Running,
    Compensating,
    Completed,
    Failed,
}

/// <summary>
/// The activation's decisions as pure functions over <see cref="ActivationState"/>: which command goes next, what a
/// reply changes, when to retry, what to compensate and in which order. Each returns the messages to publish;
/// an empty list means the message changed nothing (a duplicate, a stale attempt, or out of order).
/// </summary>
public static class ActivationFlow
{
    public static readonly IReadOnlyList<ActivationStep> AllSteps = Enum.GetValues<ActivationStep>().Order().ToArray();

    public static ActivationPhase Phase(ActivationState s) =>
        s.Result is not null ? ActivationPhase.Completed
        : s.FailedStep is null ? ActivationPhase.Running
        : s.FinishedAt is null ? ActivationPhase.Compensating
        : ActivationPhase.Failed;

    /// <summary>Steps 1 (validation) and 11 (result) change nothing outside the saga, so they have no compensation.</summary>
    public static bool HasCompensation(ActivationStep step) => step is not (ActivationStep.ValidateInput or ActivationStep.CompileResult);

    /// <summary>Steps still to compensate, latest first: completed ones, and a failed one whose outcome is unknown.</summary>
    public static IReadOnlyList<ActivationStep> CompensationOrder(ActivationState s) =>
        s.Steps
            .Where(x => HasCompensation(x.Step)
                && (x.Status == ActivationStepStatus.Completed || (x.Status == ActivationStepStatus.Failed && x.OutcomeUnknown)))
            .Select(x => x.Step)
            .OrderDescending()
            .ToList();

    public static IReadOnlyList<object> Start(ActivationState s, SubmitActivation message, Guid tenantId, DateTimeOffset now, ActivationOptions options)
    {
        s.Input = message.Input;
        s.TenantId = tenantId;
        s.SubmittedAt = message.SubmittedAt;
        s.UpdatedAt = now;
        s.Steps = AllSteps.Select(step => new ActivationStepState { Step = step }).ToList();
        return [Dispatch(s, AllSteps[0], now, options)];
    }

    public static IReadOnlyList<object> OnStepCompleted(ActivationState s, ActivationStepCompleted m, DateTimeOffset now, ActivationOptions options)
    {
        // A late success of an earlier attempt still counts (the work happened); an attempt never dispatched does not.
        if (!IsRunningStep(s, m.Step) || m.Step == ActivationStep.CompileResult || !WasDispatched(s, m.Step, m.Attempt))
        {
            return [];
        }

        var step = Finish(s, m.Step, m.Skipped ? ActivationStepStatus.Skipped : ActivationStepStatus.Completed, now);
        step.Detail = m.Detail;
        step.Outputs = m.Outputs?.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (m.Step == ActivationStep.ApplyIndustryPreset && m.Outputs?.TryGetValue("modules", out var modules) == true)
        {
            s.Modules = modules.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        return [Dispatch(s, m.Step + 1, now, options)];
    }

    public static IReadOnlyList<object> OnResultCompiled(ActivationState s, ActivationResultCompiled m, DateTimeOffset now)
    {
        if (!IsRunningStep(s, ActivationStep.CompileResult) || !WasDispatched(s, ActivationStep.CompileResult, m.Attempt))
        {
            return [];
        }

        Finish(s, ActivationStep.CompileResult, ActivationStepStatus.Completed, now).Detail = "result compiled";
        s.Result = m.Result;
        s.CurrentStep = null;
        s.FinishedAt = now;
        return [new ActivationCompleted(s.CorrelationId, s.TenantId, m.Result.BusinessName, now)];
    }

    public static IReadOnlyList<object> OnStepFailed(ActivationState s, ActivationStepFailed m, DateTimeOffset now, ActivationOptions options)
    {
        if (!IsRunningStep(s, m.Step) || s.Step(m.Step).Attempts != m.Attempt)
        {
            return [];
        }

        return FailAttempt(s, m.Step, m.Reason, m.Transient, now, options);
    }

    /// <summary>
    /// The deadline message for the dispatch now in flight (a step attempt or a compensation attempt), or null when
    /// nothing is in flight. The saga schedules it when <see cref="NeedsDeadline"/> says this dispatch has none yet.
    /// </summary>
    public static ActivationStepDeadline? CurrentDeadline(ActivationState s)
    {
        if (s.CurrentStep is not { } current || Phase(s) is not (ActivationPhase.Running or ActivationPhase.Compensating))
        {
            return null;
        }

        var step = s.Step(current);
        return step.Status switch
        {
            ActivationStepStatus.Running when step.DeadlineAt is not null => new ActivationStepDeadline(s.CorrelationId, current, step.Attempts),
            ActivationStepStatus.Compensating when step.DeadlineAt is not null => new ActivationStepDeadline(s.CorrelationId, current, step.CompensationAttempts),
            _ => null,
        };
    }

    /// <summary>The key of the dispatch in flight (<c>Step:Status:Attempt</c>), or null.</summary>
    public static string? CurrentDeadlineKey(ActivationState s) =>
        CurrentDeadline(s) is { } d ? $"{d.Step}:{s.Step(d.Step).Status}:{d.Attempt}" : null;

    /// <summary>True when a dispatch is in flight whose deadline has not been armed yet.</summary>
    public static bool NeedsDeadline(ActivationState s) => CurrentDeadlineKey(s) is { } key && key != s.DeadlineFor;

    /// <summary>True when nothing is in flight any more but a deadline is still armed (it should be cancelled).</summary>
    public static bool HasStaleDeadline(ActivationState s) => s.DeadlineToken is not null && CurrentDeadline(s) is null;

    /// <summary>Time left until the in-flight dispatch's deadline (never negative).</summary>
    public static TimeSpan DeadlineDelay(ActivationState s, DateTimeOffset now) =>
        s.CurrentStep is { } current && s.Step(current).DeadlineAt is { } at && at > now ? at - now : TimeSpan.Zero;

    public static IReadOnlyList<object> OnStepTimedOut(ActivationState s, ActivationStepTimedOut m, DateTimeOffset now, ActivationOptions options)
    {
        var step = s.Steps.FirstOrDefault(x => x.Step == m.Step);
        if (step is null)
        {
            return [];
        }

        var reason = $"no answer within {options.StepTimeout.TotalSeconds:0} s (attempt {m.Attempt})";
        if (Phase(s) == ActivationPhase.Running && step.Status == ActivationStepStatus.Running && step.Attempts == m.Attempt)
        {
            step.OutcomeUnknown = true;
            return FailAttempt(s, m.Step, reason, transient: true, now, options);
        }

        if (Phase(s) == ActivationPhase.Compensating && step.Status == ActivationStepStatus.Compensating && step.CompensationAttempts == m.Attempt)
        {
            return step.CompensationAttempts - step.CompensationAttemptsBeforeResume < options.MaxAttempts
                ? [DispatchCompensation(s, m.Step, now, options)]
                : CompensationFinished(s, m.Step, ActivationStepStatus.CompensationFailed, "compensation " + reason, now, options);
        }

        return [];
    }

    public static IReadOnlyList<object> OnCompensated(ActivationState s, ActivationStepCompensated m, DateTimeOffset now, ActivationOptions options) =>
        IsCompensatingStep(s, m.Step)
            ? CompensationFinished(s, m.Step, ActivationStepStatus.Compensated, m.Detail, now, options)
            : [];

    public static IReadOnlyList<object> OnCompensationFailed(ActivationState s, ActivationStepCompensationFailed m, DateTimeOffset now, ActivationOptions options) =>
        IsCompensatingStep(s, m.Step)
            ? CompensationFinished(s, m.Step, ActivationStepStatus.CompensationFailed, m.Reason, now, options)
            : [];

    /// <summary>
    /// Runs a failed activation again: every step that is not completed goes back to pending (attempt numbers keep
    /// counting, so replies from earlier runs stay stale) and the earliest of them is dispatched.
    /// </summary>
    public static IReadOnlyList<object> OnResume(ActivationState s, ResumeActivation m, DateTimeOffset now, ActivationOptions options)
    {
        if (Phase(s) != ActivationPhase.Failed)
        {
            return [];
        }

        s.ResumeHistory.Add($"{m.RequestedAt:O} by {m.RequestedBy}: {s.FailureReason}");
        foreach (var step in s.Steps.Where(x => x.Status != ActivationStepStatus.Completed))
        {
            step.Status = ActivationStepStatus.Pending;
            step.FinishedAt = null;
            step.DeadlineAt = null;
            step.OutcomeUnknown = false;
            step.AttemptsBeforeResume = step.Attempts;
            step.CompensationAttemptsBeforeResume = step.CompensationAttempts;
        }

        s.FailedStep = null;
        s.FailureReason = null;
        s.FinishedAt = null;
        var first = s.Steps.Where(x => x.Status == ActivationStepStatus.Pending).Min(x => x.Step);
        return [Dispatch(s, first, now, options)];
    }

    private static IReadOnlyList<object> FailAttempt(ActivationState s, ActivationStep failed, string reason, bool transient, DateTimeOffset now, ActivationOptions options)
    {
        var step = s.Step(failed);
        step.Error = reason;
        if (transient && step.Attempts - step.AttemptsBeforeResume < options.MaxAttempts)
        {
            return [Dispatch(s, failed, now, options)];
        }

        Finish(s, failed, ActivationStepStatus.Failed, now);
        s.FailedStep = failed;
        s.FailureReason = $"step {(int)failed} {failed} failed after {step.Attempts} attempt(s): {reason}";
        return NextCompensation(s, now, options);
    }

    private static IReadOnlyList<object> CompensationFinished(ActivationState s, ActivationStep step, ActivationStepStatus status, string? detail, DateTimeOffset now, ActivationOptions options)
    {
        var state = s.Step(step);
        state.Status = status;
        state.DeadlineAt = null;
        state.FinishedAt = now;
        if (status == ActivationStepStatus.CompensationFailed)
        {
            state.Error = detail;
        }
        else
        {
            state.Detail = detail ?? state.Detail;
        }

        return NextCompensation(s, now, options);
    }

    private static IReadOnlyList<object> NextCompensation(ActivationState s, DateTimeOffset now, ActivationOptions options)
    {
        var order = CompensationOrder(s);
        if (order.Count > 0)
        {
            return [DispatchCompensation(s, order[0], now, options)];
        }

        s.CurrentStep = null;
        s.FinishedAt = now;
        s.UpdatedAt = now;
        return [new ActivationFailed(s.CorrelationId, s.TenantId, s.FailedStep!.Value, s.FailureReason!, now)];
    }

    private static object Dispatch(ActivationState s, ActivationStep step, DateTimeOffset now, ActivationOptions options)
    {
        var state = s.Step(step);
        state.Status = ActivationStepStatus.Running;
        state.Attempts++;
        state.StartedAt ??= now;
        state.DeadlineAt = now + options.StepTimeout;
        s.CurrentStep = step;
        s.UpdatedAt = now;
        return ActivationCommands.Create(step, s, state.Attempts);
    }

    private static object DispatchCompensation(ActivationState s, ActivationStep step, DateTimeOffset now, ActivationOptions options)
    {
        var state = s.Step(step);
        state.Status = ActivationStepStatus.Compensating;
        state.CompensationAttempts++;
        state.DeadlineAt = now + options.StepTimeout;
        s.CurrentStep = step;
        s.UpdatedAt = now;
        return ActivationCommands.CreateCompensation(step, s);
    }

    private static ActivationStepState Finish(ActivationState s, ActivationStep step, ActivationStepStatus status, DateTimeOffset now)
    {
        var state = s.Step(step);
        state.Status = status;
        state.FinishedAt = now;
        state.DeadlineAt = null;
        if (status is ActivationStepStatus.Completed or ActivationStepStatus.Skipped)
        {
            state.Error = null;
        }

        s.UpdatedAt = now;
        return state;
    }

    private static bool IsRunningStep(ActivationState s, ActivationStep step) =>
        Phase(s) == ActivationPhase.Running && s.CurrentStep == step && s.Step(step).Status == ActivationStepStatus.Running;

    private static bool WasDispatched(ActivationState s, ActivationStep step, int attempt) => attempt >= 1 && attempt <= s.Step(step).Attempts;

    private static bool IsCompensatingStep(ActivationState s, ActivationStep step) =>
        Phase(s) == ActivationPhase.Compensating && s.CurrentStep == step && s.Step(step).Status == ActivationStepStatus.Compensating;
}

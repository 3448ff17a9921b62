using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

/// <summary>
/// Drives <see cref="ActivationFlow"/> directly, without a bus. Every call moves the clock forward one second, so a
/// reply that wrongly touches the state also changes its timestamps and shows up in a snapshot comparison.
/// </summary>
internal sealed class ActivationFlowRun
{
    private readonly ActivationOptions _options;

    public ActivationFlowRun(ActivationOptions? options = null)
    {
        _options = options ?? ActivationSagaTestData.Options();
        State = new ActivationState { CorrelationId = Guid.NewGuid() };
    }

    public ActivationState State { get; }

    public Guid Id => State.CorrelationId;

    public Guid TenantId { get; } = Guid.NewGuid();

    public DateTimeOffset Now { get; private set; } = ActivationSagaTestData.SubmittedAt;

    public ActivationPhase Phase => ActivationFlow.Phase(State);

    public int MaxAttempts => _options.MaxAttempts;

    public string Snapshot() => ActivationSagaTestData.Snapshot(State);

    public ActivationStepState Step(ActivationStep step) => State.Step(step);

    public IReadOnlyList<object> Resume() =>
        ActivationFlow.OnResume(State, new ResumeActivation(Id, "operator", Now), Tick(), _options);

    public IReadOnlyList<object> Start() =>
        ActivationFlow.Start(State, new SubmitActivation(Id, ActivationSagaTestData.Input(), ActivationSagaTestData.SubmittedAt), TenantId, Tick(), _options);

    /// <summary>Answers the step's current attempt (or <paramref name="attempt"/>) as completed or skipped.</summary>
    public IReadOnlyList<object> Complete(ActivationStep step, bool skipped = false, string? detail = "done", int? attempt = null)
    {
        IReadOnlyDictionary<string, string>? outputs = step == ActivationStep.ApplyIndustryPreset
            ? new Dictionary<string, string> { ["modules"] = ActivationSagaTestData.PresetModules }
            : null;
        return ActivationFlow.OnStepCompleted(State, new ActivationStepCompleted(Id, step, attempt ?? CurrentAttempt(step), skipped, detail, outputs), Tick(), _options);
    }

    public IReadOnlyList<object> CompileResult(int? attempt = null) =>
        ActivationFlow.OnResultCompiled(
            State,
            new ActivationResultCompiled(Id, attempt ?? CurrentAttempt(ActivationStep.CompileResult), ActivationSagaTestData.Result(Id, TenantId, State.Modules)),
            Tick());

    public IReadOnlyList<object> Fail(ActivationStep step, bool transient, string reason = "boom", int? attempt = null) =>
        ActivationFlow.OnStepFailed(State, new ActivationStepFailed(Id, step, attempt ?? CurrentAttempt(step), reason, transient), Tick(), _options);

    public IReadOnlyList<object> TimeOut(ActivationStep step, int? attempt = null) =>
        ActivationFlow.OnStepTimedOut(State, new ActivationStepTimedOut(Id, step, attempt ?? CurrentAttempt(step)), Tick(), _options);

    public IReadOnlyList<object> TimeOutCompensation(ActivationStep step) =>
        ActivationFlow.OnStepTimedOut(State, new ActivationStepTimedOut(Id, step, State.Step(step).CompensationAttempts), Tick(), _options);

    public IReadOnlyList<object> Compensated(ActivationStep step, string? detail = "undone") =>
        ActivationFlow.OnCompensated(State, new ActivationStepCompensated(Id, step, detail), Tick(), _options);

    public IReadOnlyList<object> CompensationFailed(ActivationStep step, string reason = "undo failed") =>
        ActivationFlow.OnCompensationFailed(State, new ActivationStepCompensationFailed(Id, step, reason), Tick(), _options);

    /// <summary>Starts the activation and completes steps 1..<paramref name="last"/>, skipping <paramref name="skipped"/>.</summary>
    public void CompleteThrough(ActivationStep last, params ActivationStep[] skipped)
    {
        Start();
        for (var step = ActivationStep.ValidateInput; step <= last; step++)
        {
            var sent = Complete(step, skipped.Contains(step), skipped.Contains(step) ? $"no driver for {step}" : "done");
            Assert.Single(sent);
        }
    }

    private int CurrentAttempt(ActivationStep step) => State.Step(step).Attempts;

    private DateTimeOffset Tick() => Now = Now.AddSeconds(1);
}

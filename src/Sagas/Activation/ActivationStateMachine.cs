using BacBos.Contracts.Activation;
using MassTransit;

namespace BacBos.Sagas.Activation;

/// <summary>
/// Orchestrates the 11 activation steps: one command per step to one consumer, per-step progress, retries of
/// transient failures, and compensation of completed steps in reverse order when a step fails for good.
/// The machine only changes its own state and publishes; every decision is in <see cref="ActivationFlow"/>.
/// </summary>
public sealed class ActivationStateMachine : MassTransitStateMachine<ActivationState>
{
    private readonly ActivationOptions _options;
    private readonly TimeProvider _time;

    public ActivationStateMachine(ActivationOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;

        InstanceState(x => x.CurrentState);

        Event(() => Submitted, e =>
        {
            e.CorrelateById(m => m.Message.ActivationId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(m => new ActivationState { CorrelationId = m.Message.ActivationId });
        });
        Event(() => StepCompleted, e => ById(e, m => m.ActivationId));
        Event(() => StepFailed, e => ById(e, m => m.ActivationId));
        Event(() => ResultCompiled, e => ById(e, m => m.ActivationId));
        Event(() => StepCompensated, e => ById(e, m => m.ActivationId));
        Event(() => CompensationFailed, e => ById(e, m => m.ActivationId));
        Event(() => StepTimedOut, e => ById(e, m => m.ActivationId));
        Event(() => Resumed, e => ById(e, m => m.ActivationId));

        // Every dispatch (step attempt or compensation attempt) arms one deadline through the message scheduler; the
        // next dispatch replaces it and a finished activation cancels it. A deadline that fires for an attempt that
        // is no longer current changes nothing (MassTransit drops stale tokens; ActivationFlow checks the attempt).
        Schedule(() => StepDeadline, x => x.DeadlineToken, s =>
        {
            s.Delay = options.StepTimeout;
            s.Received = r =>
            {
                r.CorrelateById(m => m.Message.ActivationId);
                r.OnMissingInstance(m => m.Discard());
            };
        });

        Initially(
            When(Submitted)
                .Decide((s, m, now) => ActivationFlow.Start(s, m, NewId.NextGuid(), now, _options), this));

        During(Running,
            Ignore(Submitted),
            When(StepCompleted).Decide((s, m, now) => ActivationFlow.OnStepCompleted(s, m, now, _options), this),
            When(ResultCompiled).Decide((s, m, now) => ActivationFlow.OnResultCompiled(s, m, now), this),
            When(StepFailed).Decide((s, m, now) => ActivationFlow.OnStepFailed(s, m, now, _options), this),
            When(StepDeadline.Received).Decide((s, m, now) => ActivationFlow.OnStepTimedOut(s, m.AsTimedOut(), now, _options), this),
            When(StepTimedOut).Decide((s, m, now) => ActivationFlow.OnStepTimedOut(s, m, now, _options), this),
            Ignore(StepCompensated),
            Ignore(CompensationFailed),
            Ignore(Resumed));

        During(Compensating,
            Ignore(Submitted),
            Ignore(StepCompleted),
            Ignore(ResultCompiled),
            Ignore(StepFailed),
            When(StepDeadline.Received).Decide((s, m, now) => ActivationFlow.OnStepTimedOut(s, m.AsTimedOut(), now, _options), this),
            When(StepTimedOut).Decide((s, m, now) => ActivationFlow.OnStepTimedOut(s, m, now, _options), this),
            When(StepCompensated).Decide((s, m, now) => ActivationFlow.OnCompensated(s, m, now, _options), this),
            When(CompensationFailed).Decide((s, m, now) => ActivationFlow.OnCompensationFailed(s, m, now, _options), this),
            Ignore(Resumed));

        During(Failed,
            When(Resumed).Decide((s, m, now) => ActivationFlow.OnResume(s, m, now, _options), this));

        During(Completed,
            Ignore(Resumed));

        During(Completed, Failed,
            Ignore(Submitted),
            Ignore(StepCompleted),
            Ignore(ResultCompiled),
            Ignore(StepFailed),
            Ignore(StepDeadline.Received),
            Ignore(StepTimedOut),
            Ignore(StepCompensated),
            Ignore(CompensationFailed));
    }

    public State Running { get; } = null!;

    public State Compensating { get; } = null!;

    public State Completed { get; } = null!;

    public State Failed { get; } = null!;

    public Event<SubmitActivation> Submitted { get; } = null!;

    public Event<ActivationStepCompleted> StepCompleted { get; } = null!;

    public Event<ActivationStepFailed> StepFailed { get; } = null!;

    /// <summary>The deadline of the step (or compensation) attempt in flight.</summary>
    public Schedule<ActivationState, ActivationStepDeadline> StepDeadline { get; } = null!;

    /// <summary>A timeout published without the scheduler (the in-memory watchdog, an operator tool).</summary>
    public Event<ActivationStepTimedOut> StepTimedOut { get; } = null!;

    public Event<ActivationResultCompiled> ResultCompiled { get; } = null!;

    public Event<ActivationStepCompensated> StepCompensated { get; } = null!;

    public Event<ActivationStepCompensationFailed> CompensationFailed { get; } = null!;

    public Event<ResumeActivation> Resumed { get; } = null!;

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Replies for an activation that does not exist are dropped (they cannot belong to anything).</summary>
    private static void ById<T>(IEventCorrelationConfigurator<ActivationState, T> e, Func<T, Guid> id)
        where T : class
    {
        e.CorrelateById(m => id(m.Message));
        e.OnMissingInstance(m => m.Discard());
    }
}

/// <summary>Binder extensions naming the machine's one repeated behaviour.</summary>
internal static class ActivationBinderExtensions
{
    /// <summary>
    /// Applies a pure decision: publish what it returns, arm the deadline of a new dispatch (or cancel the deadline of
    /// a finished activation), then move to the phase the new state implies.
    /// </summary>
    public static EventActivityBinder<ActivationState, T> Decide<T>(
        this EventActivityBinder<ActivationState, T> binder,
        Func<ActivationState, T, DateTimeOffset, IReadOnlyList<object>> decide,
        ActivationStateMachine machine)
        where T : class =>
        binder
            .ThenAsync(async context =>
            {
                foreach (var message in decide(context.Saga, context.Message, machine.Now))
                {
                    await context.Publish(message, message.GetType(), context.CancellationToken);
                }
            })
            .If(c => ActivationFlow.NeedsDeadline(c.Saga), b => b
                .Schedule(machine.StepDeadline, c => ActivationFlow.CurrentDeadline(c.Saga)!, c => ActivationFlow.DeadlineDelay(c.Saga, machine.Now))
                .Then(c => c.Saga.DeadlineFor = ActivationFlow.CurrentDeadlineKey(c.Saga)))
            .If(c => ActivationFlow.HasStaleDeadline(c.Saga), b => b
                .Unschedule(machine.StepDeadline)
                .Then(c => c.Saga.DeadlineFor = null))
            .IfElse(c => ActivationFlow.Phase(c.Saga) == ActivationPhase.Running, b => b.TransitionTo(machine.Running), b => b
            .IfElse(c => ActivationFlow.Phase(c.Saga) == ActivationPhase.Compensating, b2 => b2.TransitionTo(machine.Compensating), b2 => b2
            .IfElse(c => ActivationFlow.Phase(c.Saga) == ActivationPhase.Completed, b3 => b3.TransitionTo(machine.Completed), b3 => b3.TransitionTo(machine.Failed))));
}

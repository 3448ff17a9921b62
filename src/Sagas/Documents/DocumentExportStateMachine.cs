using BacBos.Contracts.Documents;
using MassTransit;

namespace BacBos.Sagas.Documents;

/// <summary>
/// Export of one document: render (render consumer) → store (store consumer) → completed with a time-limited download
/// URL. A step that fails for good — reported by its consumer, or a consumer that faulted after its retries — ends the
/// export as failed with the step and the reason. Repeated and late messages change nothing once a step has passed.
/// </summary>
public sealed class DocumentExportStateMachine : MassTransitStateMachine<DocumentExportState>
{
    private readonly TimeProvider _time;

    public DocumentExportStateMachine(TimeProvider time)
    {
        _time = time;

        InstanceState(x => x.CurrentState);

        Event(() => Requested, e =>
        {
            e.CorrelateById(m => m.Message.ExportId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(m => new DocumentExportState { CorrelationId = m.Message.ExportId });
        });
        Event(() => Rendered, e => ById(e, m => m.ExportId));
        Event(() => Stored, e => ById(e, m => m.ExportId));
        Event(() => StepFailed, e => ById(e, m => m.ExportId));
        Event(() => RenderFaulted, e => ById(e, m => m.Message.ExportId));
        Event(() => StoreFaulted, e => ById(e, m => m.Message.ExportId));

        During(Initial, Accepted,
            When(Requested)
                .Publish(c => c.Saga.Start(c.Message, Now))
                .TransitionTo(Rendering));

        During(Rendering,
            Ignore(Requested),
            When(Rendered)
                .Publish(c => c.Saga.OnRendered(c.Message, Now))
                .TransitionTo(Storing),
            When(StepFailed).FailWith(c => (c.Message.Step, c.Message.Reason), this),
            When(RenderFaulted).FailWith(c => ("render", Reason(c.Message)), this),
            Ignore(Stored),
            Ignore(StoreFaulted));

        During(Storing,
            Ignore(Requested),
            Ignore(Rendered),
            When(Stored)
                .Publish(c => c.Saga.OnStored(c.Message, Now))
                .TransitionTo(Completed),
            When(StepFailed).FailWith(c => (c.Message.Step, c.Message.Reason), this),
            When(StoreFaulted).FailWith(c => ("store", Reason(c.Message)), this),
            Ignore(RenderFaulted));

        During(Completed, Failed,
            Ignore(Requested),
            Ignore(Rendered),
            Ignore(Stored),
            Ignore(StepFailed),
            Ignore(RenderFaulted),
            Ignore(StoreFaulted));
    }

    public State Accepted { get; } = null!;

    public State Rendering { get; } = null!;

    public State Storing { get; } = null!;

    public State Completed { get; } = null!;

    public State Failed { get; } = null!;

    public Event<RequestDocumentExport> Requested { get; } = null!;

    public Event<DocumentExportRendered> Rendered { get; } = null!;

    public Event<DocumentExportStored> Stored { get; } = null!;

    public Event<DocumentExportFailed> StepFailed { get; } = null!;

    public Event<Fault<RenderDocumentExport>> RenderFaulted { get; } = null!;

    public Event<Fault<StoreDocumentExport>> StoreFaulted { get; } = null!;

    internal DateTimeOffset Now => _time.GetUtcNow();

    private static string Reason<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "the consumer faulted";

    private static void ById<T>(IEventCorrelationConfigurator<DocumentExportState, T> e, Func<T, Guid> id)
        where T : class
    {
        e.CorrelateById(m => id(m.Message));
        e.OnMissingInstance(m => m.Discard());
    }
}

/// <summary>The machine's one repeated behaviour: record the failed step and its reason, then end as failed.</summary>
internal static class DocumentExportBinderExtensions
{
    public static EventActivityBinder<DocumentExportState, T> FailWith<T>(
        this EventActivityBinder<DocumentExportState, T> binder,
        Func<BehaviorContext<DocumentExportState, T>, (string Step, string Reason)> failure,
        DocumentExportStateMachine machine)
        where T : class =>
        binder
            .Then(c =>
            {
                var (step, reason) = failure(c);
                c.Saga.OnFailed(step, reason, machine.Now);
            })
            .TransitionTo(machine.Failed);
}

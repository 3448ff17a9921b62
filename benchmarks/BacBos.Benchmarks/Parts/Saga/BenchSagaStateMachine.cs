using BacBos.Platform.Sagas;
using MassTransit;

namespace BacBos.Benchmarks.Parts.Saga;

/// <summary>The benchmark saga's instance: stored by the platform's SQL saga repository like the activation saga.</summary>
public sealed class BenchSagaState : IPersistedSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Version { get; set; }

    /// <summary>Transitions this instance went through (3 when Done).</summary>
    public int Transitions { get; set; }

    /// <summary>When each transition happened, so the document grows a little as a real one does.</summary>
    public List<DateTimeOffset> TransitionedAt { get; set; } = [];
}

/// <summary>
/// A 3-state saga driven by events: each event is consumed from RabbitMQ, the instance is loaded with a row lock,
/// changed, written back with a version check and committed, and only then (the endpoint's outbox) the next event is
/// published. One persisted transition = one consume, one PostgreSQL commit and one confirmed publish, plus whatever
/// the platform's endpoint policy adds (inbox/outbox rows).
/// </summary>
public sealed class BenchSagaStateMachine : MassTransitStateMachine<BenchSagaState>
{
    public BenchSagaStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Start, e =>
        {
            e.CorrelateById(m => m.Message.SagaId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(m => new BenchSagaState { CorrelationId = m.Message.SagaId });
        });
        Event(() => Advance, e => e.CorrelateById(m => m.Message.SagaId));
        Event(() => Finish, e => e.CorrelateById(m => m.Message.SagaId));

        Initially(
            When(Start)
                .Then(c => c.Saga.Record())
                .TransitionTo(Started)
                .Publish(c => new AdvanceBenchSaga(c.Saga.CorrelationId)));

        During(Started,
            When(Advance)
                .Then(c => c.Saga.Record())
                .TransitionTo(Processing)
                .Publish(c => new FinishBenchSaga(c.Saga.CorrelationId)),
            Ignore(Start));

        During(Processing,
            When(Finish)
                .Then(c => c.Saga.Record())
                .TransitionTo(Done)
                .Publish(c => new BenchSagaFinished(c.Saga.CorrelationId, c.Saga.Transitions)),
            Ignore(Start),
            Ignore(Advance));

        During(Done, Ignore(Start), Ignore(Advance), Ignore(Finish));
    }

    public State Started { get; } = null!;

    public State Processing { get; } = null!;

    public State Done { get; } = null!;

    public Event<StartBenchSaga> Start { get; } = null!;

    public Event<AdvanceBenchSaga> Advance { get; } = null!;

    public Event<FinishBenchSaga> Finish { get; } = null!;
}

internal static class BenchSagaStateExtensions
{
    public static void Record(this BenchSagaState saga)
    {
        saga.Transitions++;
        saga.TransitionedAt.Add(DateTimeOffset.UtcNow);
    }
}

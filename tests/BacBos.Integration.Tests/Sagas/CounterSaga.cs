using System.Collections.Concurrent;
using BacBos.Platform.Sagas;
using MassTransit;

namespace BacBos.Integration.Tests.Sagas;

/// <summary>A tiny saga stored by the SQL saga repository: a counter created once and incremented many times.</summary>
public sealed class CounterState : IPersistedSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Version { get; set; }

    /// <summary>Increments applied.</summary>
    public int Count { get; set; }

    /// <summary>Create messages handled by this instance (the first one created it).</summary>
    public int Creates { get; set; }
}

public sealed record CreateCounter(Guid CounterId);

public sealed record IncrementCounter(Guid CounterId);

/// <summary>
/// Create inserts the instance (<c>InsertOnInitial</c>); a Create for an existing instance is handled as that instance
/// (counted, nothing else). Increment adds one.
/// </summary>
public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Create, e =>
        {
            e.CorrelateById(m => m.Message.CounterId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(m => new CounterState { CorrelationId = m.Message.CounterId });
        });
        Event(() => Increment, e => e.CorrelateById(m => m.Message.CounterId));

        Initially(When(Create).Then(c => c.Saga.Creates++).TransitionTo(Active));
        During(Active,
            When(Create).Then(c => c.Saga.Creates++),
            When(Increment).Then(c => c.Saga.Count++));
    }

    public State Active { get; } = null!;

    public Event<CreateCounter> Create { get; } = null!;

    public Event<IncrementCounter> Increment { get; } = null!;
}

/// <summary>Faults the bus published for the counter's messages (a message that exhausted its retries).</summary>
public sealed class FaultLog
{
    private readonly ConcurrentQueue<string> _faults = new();

    public IReadOnlyCollection<string> Faults => _faults.ToArray();

    public void Add(string fault) => _faults.Enqueue(fault);
}

public sealed class CounterFaultConsumer(FaultLog log) : IConsumer<Fault<CreateCounter>>, IConsumer<Fault<IncrementCounter>>
{
    public Task Consume(ConsumeContext<Fault<CreateCounter>> context)
    {
        log.Add($"Create {context.Message.Message.CounterId}: {Describe(context.Message)}");
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<IncrementCounter>> context)
    {
        log.Add($"Increment {context.Message.Message.CounterId}: {Describe(context.Message)}");
        return Task.CompletedTask;
    }

    private static string Describe(Fault fault) => string.Join(" | ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"));
}

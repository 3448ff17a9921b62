using System.Collections.Concurrent;
using BacBos.Benchmarks.Infrastructure;
using MassTransit;

namespace BacBos.Benchmarks.Parts.Saga;

/// <summary>Counts finished instances of one round and their start-to-Done latency; collects faults.</summary>
public sealed class SagaTracker
{
    private ConcurrentDictionary<Guid, long> _started = new();
    private LatencyRecorder _latency = new();
    private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected;
    private int _finished;
    private int _unexpected;
    private int _wrongTransitions;

    public ConcurrentQueue<string> Faults { get; } = new();

    public int Finished => Volatile.Read(ref _finished);

    public int Unexpected => Volatile.Read(ref _unexpected);

    public int WrongTransitions => Volatile.Read(ref _wrongTransitions);

    public LatencyRecorder Latency => _latency;

    public Task All => _all.Task;

    public void BeginRound(int expected)
    {
        _started = new ConcurrentDictionary<Guid, long>();
        _latency = new LatencyRecorder();
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _expected = expected;
        Volatile.Write(ref _finished, 0);
        Volatile.Write(ref _unexpected, 0);
        Volatile.Write(ref _wrongTransitions, 0);
    }

    public void Started(Guid id) => _started[id] = LatencyRecorder.Now();

    public void Done(Guid id, int transitions)
    {
        if (!_started.TryRemove(id, out var start))
        {
            Interlocked.Increment(ref _unexpected);
            return;
        }

        _latency.AddSince(start);
        if (transitions != 3)
        {
            Interlocked.Increment(ref _wrongTransitions);
        }

        if (Interlocked.Increment(ref _finished) == _expected)
        {
            _all.TrySetResult();
        }
    }
}

public sealed class BenchSagaFinishedConsumer(SagaTracker tracker) : IConsumer<BenchSagaFinished>
{
    public Task Consume(ConsumeContext<BenchSagaFinished> context)
    {
        tracker.Done(context.Message.SagaId, context.Message.Transitions);
        return Task.CompletedTask;
    }
}

/// <summary>A saga message that exhausted its retries: the run fails.</summary>
public sealed class BenchSagaFaultConsumer(SagaTracker tracker)
    : IConsumer<Fault<StartBenchSaga>>, IConsumer<Fault<AdvanceBenchSaga>>, IConsumer<Fault<FinishBenchSaga>>
{
    public Task Consume(ConsumeContext<Fault<StartBenchSaga>> context) => Add("Start", context.Message);

    public Task Consume(ConsumeContext<Fault<AdvanceBenchSaga>> context) => Add("Advance", context.Message);

    public Task Consume(ConsumeContext<Fault<FinishBenchSaga>> context) => Add("Finish", context.Message);

    private Task Add(string what, Fault fault)
    {
        tracker.Faults.Enqueue($"{what}: {string.Join(" | ", fault.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"))}");
        return Task.CompletedTask;
    }
}

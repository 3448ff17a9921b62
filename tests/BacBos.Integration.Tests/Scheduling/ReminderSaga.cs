using System.Collections.Concurrent;
using BacBos.Platform.Sagas;
using MassTransit;

namespace BacBos.Integration.Tests.Scheduling;

public sealed record StartReminder(Guid ReminderId);

public sealed record CancelReminder(Guid ReminderId);

/// <summary>The saga's scheduled timeout.</summary>
public sealed record ReminderDue(Guid ReminderId);

/// <summary>A tiny saga stored by the SQL saga repository: Start schedules a timeout, Cancel unschedules it.</summary>
public sealed class ReminderState : IPersistedSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Version { get; set; }

    /// <summary>The scheduling token of the pending timeout (null once it fired or was cancelled).</summary>
    public Guid? DueToken { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? TimedOutAt { get; set; }
}

public sealed class ReminderStateMachine : MassTransitStateMachine<ReminderState>
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public ReminderStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Start, e => e.CorrelateById(m => m.Message.ReminderId));
        Event(() => Cancel, e => e.CorrelateById(m => m.Message.ReminderId));

        Schedule(() => Due, x => x.DueToken, s =>
        {
            s.Delay = Delay;
            s.Received = r => r.CorrelateById(m => m.Message.ReminderId);
        });

        Initially(
            When(Start)
                .Then(c => c.Saga.StartedAt = DateTime.UtcNow)
                .Schedule(Due, c => new ReminderDue(c.Saga.CorrelationId))
                .TransitionTo(Waiting));

        During(Waiting,
            When(Due.Received)
                .Then(c => c.Saga.TimedOutAt = DateTime.UtcNow)
                .TransitionTo(TimedOut),
            When(Cancel)
                .Unschedule(Due)
                .TransitionTo(Cancelled));

        During(TimedOut, Cancelled, Ignore(Due.Received), Ignore(Cancel));
    }

    public State Waiting { get; } = null!;

    public State TimedOut { get; } = null!;

    public State Cancelled { get; } = null!;

    public Event<StartReminder> Start { get; } = null!;

    public Event<CancelReminder> Cancel { get; } = null!;

    public Schedule<ReminderState, ReminderDue> Due { get; } = null!;
}

/// <summary>Every <see cref="ReminderDue"/> that reached a consume pipe (before the saga decides whether to ignore it).</summary>
public sealed class ReminderDueObserver : IConsumeMessageObserver<ReminderDue>
{
    private readonly ConcurrentQueue<(Guid ReminderId, Guid? Token, DateTime At)> _seen = new();

    public IReadOnlyList<(Guid ReminderId, Guid? Token, DateTime At)> Of(Guid reminderId) =>
        _seen.Where(s => s.ReminderId == reminderId).ToList();

    public Task PreConsume(ConsumeContext<ReminderDue> context)
    {
        _seen.Enqueue((context.Message.ReminderId, context.Headers.Get<Guid>(MessageHeaders.SchedulingTokenId), DateTime.UtcNow));
        return Task.CompletedTask;
    }

    public Task PostConsume(ConsumeContext<ReminderDue> context) => Task.CompletedTask;

    public Task ConsumeFault(ConsumeContext<ReminderDue> context, Exception exception) => Task.CompletedTask;
}

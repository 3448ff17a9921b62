using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Sagas;
using BacBos.Platform.Scheduling;
using MassTransit;
using MassTransit.Scheduling;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Scheduling;

/// <summary>Timing-sensitive: the scheduling tests run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class SchedulingCollection
{
    public const string Name = "Scheduling";
}

/// <summary>
/// The Quartz-backed scheduler (src/Platform/Scheduling) on RabbitMQ 3.10 and PostgreSQL 15 (clustered AdoJobStore,
/// schema from migration 0003): each test has its own database and vhost and builds its own host(s).
/// </summary>
[Collection(SchedulingCollection.Name)]
public sealed class When_messages_are_scheduled_on_RabbitMQ_and_PostgreSQL(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>How long past its due time a cancelled message is watched for.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Should_deliver_at_its_time_with_its_original_MessageId_and_the_token_header()
    {
        await using var backend = await SchedulingBackend.PostgresRabbitMqAsync();
        var host = await StartAsync(backend, "node", Guid.NewGuid());

        var pingId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var correlationId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var scheduled = await host.Scheduler.ScheduleSend(
            SchedulingHost.QueueOf<ScheduledPingConsumer>(),
            dueAt,
            new ScheduledPing(pingId, "hello"),
            Pipe.Execute<SendContext<ScheduledPing>>(c =>
            {
                c.MessageId = messageId;
                c.CorrelationId = correlationId;
                c.TimeToLive = TimeSpan.FromMinutes(5);
                c.Headers.Set(DeliveryLog.TagHeader, "kept");
            }));
        var sent = clock.Elapsed;
        var trigger = ScheduleMessageConsumer.TriggerKeyFor(scheduled.TokenId).Name;

        var stored = await Eventually.MatchAsync(() => backend.TriggerRowsAsync(trigger), n => n == 1, Deadline, $"trigger {trigger} in qrtz_triggers");
        var storedAfter = clock.Elapsed;
        var delivery = (await Eventually.MatchAsync(() => Task.FromResult(host.Deliveries.Of(pingId)), d => d.Count > 0, Deadline, "the scheduled ping")).Single();
        var deliveredAfter = clock.Elapsed;
        var removed = await Eventually.MatchAsync(() => backend.TriggerRowsAsync(trigger), n => n == 0, Deadline, $"trigger {trigger} removed after firing");
        var queues = await backend.Vhost!.QueueNamesAsync();

        output.WriteLine($"{backend.Describe}: scheduled 2 s ahead (due {dueAt:HH:mm:ss.fff}); ScheduleSend returned after {sent.TotalMilliseconds:0} ms, trigger row stored after {storedAfter.TotalMilliseconds:0} ms ({stored} row), delivered after {deliveredAfter.TotalMilliseconds:0} ms at {delivery.ReceivedAt:HH:mm:ss.fff} ({(delivery.ReceivedAt - dueAt).TotalMilliseconds:0} ms after due), trigger rows afterwards: {removed}");
        output.WriteLine($"delivered MessageId={delivery.MessageId} (scheduled with {messageId}), CorrelationId={delivery.CorrelationId} (scheduled with {correlationId}), MT-Scheduling-TokenId={delivery.SchedulingTokenId} (token {scheduled.TokenId}), tag={delivery.Tag}, expires {delivery.ExpirationTime:HH:mm:ss.fff} (scheduled with a 5 min time-to-live)");
        output.WriteLine($"queues: {string.Join(", ", queues.Order(StringComparer.Ordinal))}");

        Assert.True(delivery.ReceivedAt >= dueAt, $"delivered at {delivery.ReceivedAt:O}, before its time {dueAt:O}");
        Assert.True(deliveredAfter >= TimeSpan.FromSeconds(2), $"delivered {deliveredAfter.TotalMilliseconds:0} ms after scheduling");
        Assert.Equal(messageId, delivery.MessageId);
        Assert.Equal(correlationId, delivery.CorrelationId);
        Assert.Equal(scheduled.TokenId, delivery.SchedulingTokenId);
        Assert.Equal("kept", delivery.Tag);
        Assert.NotNull(delivery.ExpirationTime);
        Assert.InRange(delivery.ExpirationTime.Value, dueAt, dueAt.AddMinutes(5));
        Assert.Contains(host.Options.QueueName, queues);
        Assert.DoesNotContain("bacbos-schedule-message", queues);
        Assert.All(await backend.Vhost.ErrorQueuesAsync(), q => Assert.True(q.Value == 0, $"{q.Value} message(s) in {q.Key}"));
    }

    [Fact]
    public async Task Should_never_deliver_a_message_cancelled_before_its_time()
    {
        await using var backend = await SchedulingBackend.PostgresRabbitMqAsync();
        var host = await StartAsync(backend, "node", Guid.NewGuid());
        var destination = SchedulingHost.QueueOf<ScheduledPingConsumer>();

        var cancelledId = NewId.NextGuid();
        var keptId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var cancelled = await host.Scheduler.ScheduleSend(destination, dueAt, new ScheduledPing(cancelledId, "cancel me"));
        var kept = await host.Scheduler.ScheduleSend(destination, dueAt, new ScheduledPing(keptId, "control"));
        await host.Scheduler.CancelScheduledSend(destination, cancelled.TokenId);
        var cancelSent = clock.Elapsed;

        // The control message (same due time) proves the scheduler was firing during the window.
        await Eventually.MatchAsync(() => Task.FromResult(host.Deliveries.Of(keptId)), d => d.Count > 0, Deadline, "the control message");
        var controlAfter = clock.Elapsed;

        // Bounded window in which the cancelled message must NOT arrive: until its due time plus a margin.
        var windowEnd = dueAt + Margin;
        while (DateTime.UtcNow < windowEnd && host.Deliveries.Of(cancelledId).Count == 0)
        {
            await Task.Delay(100);
        }

        var trigger = ScheduleMessageConsumer.TriggerKeyFor(cancelled.TokenId).Name;
        var rows = await backend.TriggerRowsAsync(trigger);
        output.WriteLine($"{backend.Describe}: two messages due at {dueAt:HH:mm:ss.fff}, one cancelled {cancelSent.TotalMilliseconds:0} ms after scheduling; control delivered after {controlAfter.TotalMilliseconds:0} ms; watched the cancelled one until {Margin.TotalSeconds:0} s past its time ({clock.Elapsed.TotalMilliseconds:0} ms): {host.Deliveries.Of(cancelledId).Count} deliveries, trigger rows {rows}");

        Assert.Empty(host.Deliveries.Of(cancelledId));
        Assert.Single(host.Deliveries.Of(keptId));
        Assert.Equal(0, rows);
    }

    [Fact]
    public async Task Should_schedule_a_redelivered_command_once()
    {
        await using var backend = await SchedulingBackend.PostgresRabbitMqAsync();
        var host = await StartAsync(backend, "node", Guid.NewGuid());

        // The same ScheduleMessage (same token, same MessageId) arrives twice, as after a redelivery.
        var pingId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var tokenId = NewId.NextGuid();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var command = new RepeatedScheduleMessage(
            tokenId, dueAt, [MessageUrn.ForTypeString<ScheduledPing>()], SchedulingHost.QueueOf<ScheduledPingConsumer>(), new ScheduledPing(pingId, "once"));
        var endpoint = await host.Bus.GetSendEndpoint(host.Options.Address);
        await endpoint.Send<ScheduleMessage>(command, c => c.MessageId = messageId);
        await endpoint.Send<ScheduleMessage>(command, c => c.MessageId = messageId);

        var first = await Eventually.MatchAsync(() => Task.FromResult(host.Deliveries.Of(pingId)), d => d.Count > 0, Deadline, "the scheduled ping");

        // Bounded window in which a second copy must NOT arrive: until 3 s past its time.
        var windowEnd = dueAt + Margin;
        while (DateTime.UtcNow < windowEnd && host.Deliveries.Of(pingId).Count == 1)
        {
            await Task.Delay(100);
        }

        var deliveries = host.Deliveries.Of(pingId);
        var rows = await backend.TriggerRowsAsync(ScheduleMessageConsumer.TriggerKeyFor(tokenId).Name);
        var pending = await backend.Vhost!.ReadyMessagesAsync(host.Options.QueueName);
        var errors = await backend.Vhost.ErrorQueuesAsync();
        output.WriteLine($"{backend.Describe}: one ScheduleMessage sent twice (token {tokenId}, MessageId {messageId}), due {dueAt:HH:mm:ss.fff}; first delivery {first[0].ReceivedAt:HH:mm:ss.fff}; deliveries by {windowEnd:HH:mm:ss.fff}: {deliveries.Count}; trigger rows {rows}; commands left in {host.Options.QueueName}: {pending}; error queues: {string.Join(", ", errors.Select(q => $"{q.Key}={q.Value}"))}");

        Assert.Single(deliveries);
        Assert.Equal(messageId, deliveries[0].MessageId);
        Assert.Equal(tokenId, deliveries[0].SchedulingTokenId);
        Assert.Equal(0, rows);
        Assert.Equal(0u, pending);
        Assert.All(errors, q => Assert.True(q.Value == 0, $"{q.Value} message(s) in {q.Key}"));
    }

    [Fact]
    public async Task Should_send_a_recurring_message_on_its_cron_schedule_until_cancelled()
    {
        await using var backend = await SchedulingBackend.PostgresRabbitMqAsync();
        var host = await StartAsync(backend, "node", Guid.NewGuid());
        var scheduler = await host.Bus.GetSendEndpoint(host.Options.Address);

        var pingId = NewId.NextGuid();
        var schedule = new EverySecond("tick-" + pingId.ToString("N"));
        var clock = Stopwatch.StartNew();
        await scheduler.ScheduleRecurringSend(SchedulingHost.QueueOf<ScheduledPingConsumer>(), schedule, new ScheduledPing(pingId, "tick"));
        var ticks = await Eventually.MatchAsync(() => Task.FromResult(host.Deliveries.Of(pingId)), d => d.Count >= 3, Deadline, "three occurrences");
        var ticksAfter = clock.Elapsed;

        await scheduler.CancelScheduledRecurringSend(schedule.ScheduleId, schedule.ScheduleGroup);
        var trigger = ScheduleMessageConsumer.RecurringTriggerKeyFor(schedule.ScheduleId, schedule.ScheduleGroup).Name;
        await Eventually.MatchAsync(() => backend.TriggerRowsAsync(trigger), n => n == 0, Deadline, $"trigger {trigger} removed");
        var removedAt = DateTime.UtcNow;

        // Bounded window in which no occurrence scheduled after the removal may arrive (a firing already under way for an
        // earlier second may still land after it).
        var windowEnd = removedAt.AddSeconds(2.5);
        while (DateTime.UtcNow < windowEnd && !host.Deliveries.Of(pingId).Any(d => d.ScheduledFor?.UtcDateTime > removedAt))
        {
            await Task.Delay(100);
        }

        var all = host.Deliveries.Of(pingId);
        output.WriteLine($"{backend.Describe}: cron '{schedule.CronExpression}'; {ticks.Count} occurrences after {ticksAfter.TotalMilliseconds:0} ms at {string.Join(", ", ticks.Select(t => $"{t.ReceivedAt.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)} (for {t.ScheduledFor:HH:mm:ss.fff})"))}; MessageIds {string.Join(", ", ticks.Select(t => t.MessageId))}; cancelled, trigger removed at {removedAt:HH:mm:ss.fff}; deliveries by {windowEnd:HH:mm:ss.fff}: {all.Count}");

        // Each occurrence is a different cron second, sent once: distinct MessageIds (derived from the occurrence) and
        // scheduled fire times a whole second or more apart. Arrival times are not compared: under load a late firing
        // can land just before the next, on-time one.
        Assert.Equal(ticks.Count, ticks.Select(t => t.MessageId).Distinct().Count());
        Assert.All(ticks, t => Assert.NotNull(t.ScheduledFor));
        var scheduledFor = ticks.Select(t => t.ScheduledFor!.Value).Order().ToList();
        Assert.All(scheduledFor.Zip(scheduledFor.Skip(1)), pair => Assert.True(
            pair.Second - pair.First >= TimeSpan.FromSeconds(1),
            $"two occurrences scheduled {(pair.Second - pair.First).TotalMilliseconds:0} ms apart ({pair.First:O}, {pair.Second:O})"));
        Assert.DoesNotContain(all, d => d.ScheduledFor is null || d.ScheduledFor.Value.UtcDateTime > removedAt);
    }

    [Fact]
    public async Task Should_fire_a_saga_timeout_and_not_fire_an_unscheduled_one()
    {
        await using var backend = await SchedulingBackend.PostgresRabbitMqAsync();
        var observer = new ReminderDueObserver();
        var host = await StartAsync(backend, "node", Guid.NewGuid(), x => x.AddSagaStateMachine<ReminderStateMachine, ReminderState>().SqlRepository());
        using var connected = host.Bus.ConnectConsumeMessageObserver(observer);
        var sagas = host.Sagas<ReminderState>();

        var timesOut = NewId.NextGuid();
        var cancelled = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        await host.Bus.Publish(new StartReminder(timesOut));
        await host.Bus.Publish(new StartReminder(cancelled));
        var waiting = await Eventually.MatchAsync(
            () => sagas.FindAsync(cancelled, default), s => s?.CurrentState == "Waiting", Deadline, "the second reminder to wait for its timeout");
        await host.Bus.Publish(new CancelReminder(cancelled));
        var cancelledState = await Eventually.MatchAsync(
            () => sagas.FindAsync(cancelled, default), s => s?.CurrentState == "Cancelled", Deadline, "the second reminder to be cancelled");
        var cancelledAfter = clock.Elapsed;

        var timedOut = await Eventually.MatchAsync(
            () => sagas.FindAsync(timesOut, default), s => s?.CurrentState == "TimedOut", Deadline, "the first reminder to time out",
            s => s is null ? "no instance" : s.CurrentState);
        var timedOutAfter = clock.Elapsed;

        // Bounded window in which the unscheduled timeout must NOT arrive: its due time plus a margin.
        var windowEnd = waiting!.StartedAt!.Value + ReminderStateMachine.Delay + Margin;
        while (DateTime.UtcNow < windowEnd && observer.Of(cancelled).Count == 0)
        {
            await Task.Delay(100);
        }

        var final = await sagas.FindAsync(cancelled, default);
        var dueMessages = observer.Of(timesOut);
        output.WriteLine($"{backend.Describe}: reminder 1 started {timedOut!.StartedAt:HH:mm:ss.fff}, timed out {timedOut.TimedOutAt:HH:mm:ss.fff} ({(timedOut.TimedOutAt!.Value - timedOut.StartedAt!.Value).TotalMilliseconds:0} ms, delay {ReminderStateMachine.Delay.TotalSeconds:0} s), seen after {timedOutAfter.TotalMilliseconds:0} ms; ReminderDue deliveries: {dueMessages.Count}, token header {(dueMessages.Count > 0 ? dueMessages[0].Token : null)}");
        output.WriteLine($"reminder 2 token {waiting.DueToken} cancelled after {cancelledAfter.TotalMilliseconds:0} ms (state {cancelledState!.CurrentState}, token now {cancelledState.DueToken}); watched until {windowEnd:HH:mm:ss.fff}: ReminderDue deliveries {observer.Of(cancelled).Count}, final state {final!.CurrentState}");

        Assert.True(timedOut.TimedOutAt!.Value - timedOut.StartedAt!.Value >= ReminderStateMachine.Delay, "the timeout fired early");
        Assert.Single(dueMessages);
        Assert.NotNull(dueMessages[0].Token);
        Assert.Null(timedOut.DueToken);
        Assert.NotNull(waiting.DueToken);
        Assert.Equal(0, await backend.TriggerRowsAsync(ScheduleMessageConsumer.TriggerKeyFor(waiting.DueToken!.Value).Name));
        Assert.Empty(observer.Of(cancelled));
        Assert.Equal("Cancelled", final.CurrentState);
    }

    [Fact]
    public async Task Should_deliver_a_schedule_stored_before_a_restart()
    {
        await using var backend = await SchedulingBackend.PostgresRabbitMqAsync();
        var schedulerName = "BacBos-it-" + Guid.NewGuid().ToString("N")[..8];
        var first = await StartAsync(backend, "first", schedulerName);

        var pingId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        var dueAt = DateTime.UtcNow.AddSeconds(3);
        var scheduled = await first.Scheduler.ScheduleSend(
            SchedulingHost.QueueOf<ScheduledPingConsumer>(), dueAt, new ScheduledPing(pingId, "survives"),
            Pipe.Execute<SendContext<ScheduledPing>>(c => c.MessageId = messageId));
        var trigger = ScheduleMessageConsumer.TriggerKeyFor(scheduled.TokenId).Name;
        await Eventually.MatchAsync(() => backend.TriggerRowsAsync(trigger), n => n == 1, Deadline, $"trigger {trigger} in qrtz_triggers");
        var storedAfter = clock.Elapsed;

        await first.StopAsync();
        var stoppedAt = DateTime.UtcNow;
        var stoppedAfter = clock.Elapsed;
        Assert.True(stoppedAt < dueAt, $"the first host stopped at {stoppedAt:O}, after the message's time {dueAt:O}: the test proves nothing");

        // Nothing runs now: the message must NOT arrive while no scheduler is up (bounded: until 1 s past its time).
        var destinationQueue = new KebabCaseEndpointNameFormatter("bacbos", false).Consumer<ScheduledPingConsumer>();
        var windowEnd = dueAt.AddSeconds(1);
        uint? waitingInQueue = 0;
        while (DateTime.UtcNow < windowEnd && waitingInQueue == 0)
        {
            waitingInQueue = await backend.Vhost!.ReadyMessagesAsync(destinationQueue);
            await Task.Delay(200);
        }

        var rowsWhileDown = await backend.TriggerRowsAsync(trigger);
        var secondStartedAt = DateTime.UtcNow;
        var second = await StartAsync(backend, "second", schedulerName);
        var startedAfter = clock.Elapsed;
        var delivery = (await Eventually.MatchAsync(() => Task.FromResult(second.Deliveries.Of(pingId)), d => d.Count > 0, Deadline, "the scheduled ping after the restart")).Single();
        var deliveredAfter = clock.Elapsed;

        output.WriteLine($"{backend.Describe}: due {dueAt:HH:mm:ss.fff} (3 s ahead); trigger stored after {storedAfter.TotalMilliseconds:0} ms; first host stopped after {stoppedAfter.TotalMilliseconds:0} ms; while down: {waitingInQueue} message(s) in {destinationQueue}, trigger rows {rowsWhileDown}; second host started after {startedAfter.TotalMilliseconds:0} ms; delivered by the second host's scheduler after {deliveredAfter.TotalMilliseconds:0} ms ({(delivery.ReceivedAt - secondStartedAt).TotalMilliseconds:0} ms after its start, {(delivery.ReceivedAt - dueAt).TotalMilliseconds:0} ms after due), MessageId {delivery.MessageId}, token {delivery.SchedulingTokenId}");

        Assert.Equal(0u, waitingInQueue);
        Assert.Equal(1, rowsWhileDown);
        Assert.Empty(first.Deliveries.Of(pingId));
        Assert.True(delivery.ReceivedAt >= secondStartedAt && delivery.ReceivedAt >= dueAt, "delivered before the restart or before its time");
        Assert.Equal(messageId, delivery.MessageId);
        Assert.Equal(scheduled.TokenId, delivery.SchedulingTokenId);
        Assert.Equal(0, await Eventually.MatchAsync(() => backend.TriggerRowsAsync(trigger), n => n == 0, Deadline, "the fired trigger to be removed"));
    }

    [Fact]
    public async Task Should_redeliver_through_the_scheduler_until_the_consumer_succeeds()
    {
        await using var backend = await SchedulingBackend.PostgresRabbitMqAsync();
        var interval = TimeSpan.FromSeconds(1);
        var host = await StartAsync(backend, "node", Guid.NewGuid(), x =>
            x.AddConsumer<FlakyWorkConsumer>((_, c) => c.UseScheduledRedelivery(r => r.Intervals(interval, interval, interval))));

        var workId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        await host.Bus.Publish(new FlakyWork(workId));
        var attempts = await Eventually.MatchAsync(
            () => Task.FromResult(host.Deliveries.Of(workId)), d => d.Any(a => a.Succeeded), Deadline, "a successful delivery",
            d => string.Join("; ", d.Select(a => $"{a.ReceivedAt:HH:mm:ss.fff} redelivery={a.RedeliveryCount} ok={a.Succeeded}")));
        var succeededAfter = clock.Elapsed;

        // Bounded window in which no further delivery must arrive after the success.
        var windowEnd = DateTime.UtcNow + interval + TimeSpan.FromSeconds(1);
        while (DateTime.UtcNow < windowEnd && host.Deliveries.Of(workId).Count == attempts.Count)
        {
            await Task.Delay(100);
        }

        var all = host.Deliveries.Of(workId);
        foreach (var (attempt, index) in all.Select((a, i) => (a, i)))
        {
            var gap = index == 0 ? TimeSpan.Zero : attempt.ReceivedAt - all[index - 1].ReceivedAt;
            output.WriteLine($"attempt {index + 1}: {attempt.ReceivedAt:HH:mm:ss.fff} (+{gap.TotalMilliseconds:0} ms), MT-Redelivery-Count={attempt.RedeliveryCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, MessageId={attempt.MessageId}, MT-OriginalMessageId={attempt.OriginalMessageId}, token={attempt.SchedulingTokenId}, succeeded={attempt.Succeeded}");
        }

        output.WriteLine($"{backend.Describe}: succeeded after {succeededAfter.TotalMilliseconds:0} ms; error queues: {string.Join(", ", (await backend.Vhost!.ErrorQueuesAsync()).Select(q => $"{q.Key}={q.Value}"))}");

        Assert.Equal(FlakyWorkConsumer.FailedAttempts + 1, all.Count);
        Assert.Equal([false, false, true], all.Select(a => a.Succeeded));
        Assert.Equal([null, 1, 2], all.Select(a => a.RedeliveryCount));
        Assert.All(all.Skip(1), a => Assert.NotNull(a.SchedulingTokenId));
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(
            pair.Second.ReceivedAt - pair.First.ReceivedAt >= interval,
            $"redelivered {(pair.Second.ReceivedAt - pair.First.ReceivedAt).TotalMilliseconds:0} ms after the previous attempt, interval {interval.TotalMilliseconds:0} ms"));
        // MassTransit gives each redelivery a new MessageId and keeps the first in MT-OriginalMessageId (RedeliveryOptions.ReplaceMessageId).
        Assert.All(all.Skip(1), a => Assert.Equal(all[0].MessageId, a.OriginalMessageId));
        Assert.All(await backend.Vhost.ErrorQueuesAsync(), q => Assert.True(q.Value == 0, $"{q.Value} message(s) in {q.Key}"));
    }

    private Task<SchedulingHost> StartAsync(SchedulingBackend backend, string label, Guid scheduler, Action<IBusRegistrationConfigurator>? modules = null) =>
        StartAsync(backend, label, "BacBos-it-" + scheduler.ToString("N")[..8], modules);

    private Task<SchedulingHost> StartAsync(SchedulingBackend backend, string label, string schedulerName, Action<IBusRegistrationConfigurator>? modules = null) =>
        backend.StartHostAsync(label, schedulerName, output, x =>
        {
            x.AddConsumer<ScheduledPingConsumer>();
            modules?.Invoke(x);
        });
}

/// <summary>The embedded default: in-memory transport and the SQLite AdoJobStore in the platform database file.</summary>
[Collection(SchedulingCollection.Name)]
public sealed class When_messages_are_scheduled_in_the_embedded_mode(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_deliver_at_its_time_from_the_SQLite_job_store()
    {
        await using var backend = await SchedulingBackend.SqliteInMemoryAsync();
        var host = await backend.StartHostAsync("embedded", "BacBos-it-" + Guid.NewGuid().ToString("N")[..8], output, x => x.AddConsumer<ScheduledPingConsumer>());

        var pingId = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var scheduled = await host.Scheduler.ScheduleSend(
            SchedulingHost.QueueOf<ScheduledPingConsumer>(), dueAt, new ScheduledPing(pingId, "embedded"),
            Pipe.Execute<SendContext<ScheduledPing>>(c => c.MessageId = messageId));
        var trigger = ScheduleMessageConsumer.TriggerKeyFor(scheduled.TokenId).Name;
        var stored = await Eventually.MatchAsync(() => backend.TriggerRowsAsync(trigger), n => n == 1, TimeSpan.FromSeconds(30), $"trigger {trigger} in QRTZ_TRIGGERS");
        var storedAfter = clock.Elapsed;
        var delivery = (await Eventually.MatchAsync(() => Task.FromResult(host.Deliveries.Of(pingId)), d => d.Count > 0, TimeSpan.FromSeconds(30), "the scheduled ping")).Single();
        var deliveredAfter = clock.Elapsed;
        var removed = await Eventually.MatchAsync(() => backend.TriggerRowsAsync(trigger), n => n == 0, TimeSpan.FromSeconds(30), "the fired trigger to be removed");

        output.WriteLine($"{backend.Describe} ({backend.Database.DataDirectory}): due {dueAt:HH:mm:ss.fff}; trigger row in SQLite after {storedAfter.TotalMilliseconds:0} ms ({stored}); delivered after {deliveredAfter.TotalMilliseconds:0} ms ({(delivery.ReceivedAt - dueAt).TotalMilliseconds:0} ms after due), MessageId {delivery.MessageId} (scheduled with {messageId}), token {delivery.SchedulingTokenId}; trigger rows afterwards {removed}");

        Assert.True(delivery.ReceivedAt >= dueAt, $"delivered at {delivery.ReceivedAt:O}, before its time {dueAt:O}");
        Assert.Equal(messageId, delivery.MessageId);
        Assert.Equal(scheduled.TokenId, delivery.SchedulingTokenId);
    }
}

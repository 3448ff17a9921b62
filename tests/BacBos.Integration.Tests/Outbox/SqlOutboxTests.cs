using System.Diagnostics;
using System.Globalization;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Outbox;
using BacBos.Platform.Sagas;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Outbox;

/// <summary>
/// The guarantees of the SQL inbox/outbox (<c>SqlOutboxContextFactory</c>, <c>BusOutbox</c>, <c>InboxCleanupService</c>)
/// through a real MassTransit bus: business writes and outgoing messages commit together, a failure publishes nothing,
/// a duplicate is consumed once, a crash between commit and delivery re-delivers only what is pending, saga state and
/// its commands are atomic, and the bus outbox delivers committed messages only. One subclass per database/transport.
/// </summary>
public abstract class SqlOutboxTests<TFixture>(TFixture fixture, ITestOutputHelper output) : IClassFixture<TFixture>
    where TFixture : OutboxFixture
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>How long something that must not happen is given to happen anyway (only to prove absence).</summary>
    private static readonly TimeSpan AbsenceWindow = TimeSpan.FromMilliseconds(500);

    private OutboxProbe Probe => fixture.Probe;

    [Fact]
    public async Task Should_commit_business_writes_and_outgoing_messages_together()
    {
        var key = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        await fixture.Bus.Publish(new PlaceOrder(key), c => c.MessageId = messageId);

        await WaitReceivedAsync(messageId, 1);
        var receipts = await WaitReceiptsAsync(nameof(OrderPlaced), key, 1);
        var elapsed = clock.Elapsed;
        await StaysAsync(() => Probe.Receipts(nameof(OrderPlaced), key).Count, n => n == 1, "OrderPlaced received exactly once");
        var rows = await fixture.BusinessRowsAsync(key);
        var inbox = await fixture.InboxAsync(messageId);
        var pending = await fixture.OutboxAsync(messageId);

        Log($"consumed + delivered in {elapsed.TotalMilliseconds:0} ms; business rows={rows}; OrderPlaced receipts={receipts.Count}; " +
            $"inside the consumer: joined ambient={Probe.FactOf("joined", key)}, stored outbox rows={Probe.FactOf("stored-before-commit", key)}, " +
            $"received so far={Probe.FactOf("received-before-commit", key)}; inbox={Describe(inbox)}; outbox rows left={pending.Count}");

        Assert.Equal(1, Probe.Count(nameof(PlaceOrderConsumer), key));
        Assert.Equal("True", Probe.FactOf("joined", key));
        // Inside the consumer the event was only a row in the message's transaction, not yet on the bus.
        Assert.Equal("1", Probe.FactOf("stored-before-commit", key));
        Assert.Equal("0", Probe.FactOf("received-before-commit", key));
        Assert.Equal(1, rows);
        Assert.Single(receipts);
        var row = Assert.Single(inbox);
        Assert.NotNull(row.ConsumedAt);
        Assert.NotNull(row.DeliveredAt);
        Assert.Empty(pending);
    }

    [Fact]
    public async Task Should_publish_nothing_and_write_nothing_when_the_consumer_fails()
    {
        var key = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var endpoint = OutboxFixture.EndpointNames.Consumer<PlaceDoomedOrderConsumer>();
        var clock = Stopwatch.StartNew();
        await fixture.Bus.Publish(new PlaceDoomedOrder(key), c => c.MessageId = messageId);

        var faults = await WaitReceiptsAsync("Fault<PlaceDoomedOrder>", key, 1);
        await WaitReceivedAsync(messageId, 1);
        var elapsed = clock.Elapsed;
        var errorQueue = await fixture.ErrorQueueMessagesAsync(endpoint);
        if (errorQueue is not null)
        {
            errorQueue = await Eventually.MatchAsync(() => fixture.ErrorQueueMessagesAsync(endpoint), n => n >= 1, Deadline, $"the message in {endpoint}_error");
        }

        await StaysAsync(() => Probe.Receipts(nameof(DoomedOrderPlaced), key).Count, n => n == 0, "no DoomedOrderPlaced received");
        var rows = await fixture.BusinessRowsAsync(key);
        var inbox = await fixture.InboxAsync(messageId);
        var pending = await fixture.OutboxAsync(messageId);
        var attempts = Probe.Count(nameof(PlaceDoomedOrderConsumer), key);

        Log($"faulted after {elapsed.TotalMilliseconds:0} ms and {attempts} consumer attempts (retry intervals {string.Join("/", OutboxFixture.BusOptions.RetryIntervalsMs)} ms); " +
            $"business rows={rows}; DoomedOrderPlaced receipts={Probe.Receipts(nameof(DoomedOrderPlaced), key).Count}; faults={faults.Count} ({Probe.FactOf("Fault<PlaceDoomedOrder>", key)}); " +
            $"{endpoint}_error={(errorQueue is null ? "n/a (in-memory)" : errorQueue)}; inbox={Describe(inbox)}; outbox rows={pending.Count}");

        Assert.Equal(OutboxFixture.BusOptions.RetryIntervalsMs.Length + 1, attempts);
        Assert.Equal(0, rows);
        Assert.Empty(Probe.Receipts(nameof(DoomedOrderPlaced), key));
        Assert.Empty(pending);
        Assert.All(inbox, r => Assert.Null(r.ConsumedAt));
        Assert.Single(faults);
        Assert.Contains("Doomed order", Probe.FactOf("Fault<PlaceDoomedOrder>", key), StringComparison.Ordinal);
        if (errorQueue is not null)
        {
            Assert.Equal(1u, errorQueue);
        }
    }

    [Fact]
    public async Task Should_run_the_consumer_once_for_a_duplicate_message()
    {
        var key = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        await fixture.Bus.Publish(new RecordPayment(key), c => c.MessageId = messageId);
        await fixture.Bus.Publish(new RecordPayment(key), c => c.MessageId = messageId);

        await WaitReceivedAsync(messageId, 2);
        var receipts = await WaitReceiptsAsync(nameof(PaymentRecorded), key, 1);
        var elapsed = clock.Elapsed;
        await StaysAsync(() => Probe.Receipts(nameof(PaymentRecorded), key).Count, n => n == 1, "PaymentRecorded received exactly once");
        var rows = await fixture.BusinessRowsAsync(key);
        var inbox = await fixture.InboxAsync(messageId);
        var pending = await fixture.OutboxAsync(messageId);

        Log($"two deliveries of MessageId {messageId} handled in {elapsed.TotalMilliseconds:0} ms; consumer invocations={Probe.Count(nameof(RecordPaymentConsumer), key)}; " +
            $"business rows={rows}; PaymentRecorded receipts={receipts.Count}; inbox={Describe(inbox)}; outbox rows left={pending.Count}");

        Assert.Equal(1, Probe.Count(nameof(RecordPaymentConsumer), key));
        Assert.Equal(1, rows);
        Assert.Single(receipts);
        var row = Assert.Single(inbox);
        Assert.True(row.ReceiveCount >= 1, $"receive_count={row.ReceiveCount}");
        Assert.NotNull(row.ConsumedAt);
        Assert.NotNull(row.DeliveredAt);
        Assert.Empty(pending);
    }

    [Fact]
    public async Task Should_redeliver_only_pending_outbox_messages_after_a_crash()
    {
        var key = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        var endpoint = OutboxFixture.EndpointNames.Consumer<ShipOrderConsumer>();

        // 1. Consumed and committed, then delivery breaks down at the second of three stored messages, on every attempt.
        fixture.Gate.Close(key);
        var refusedBefore = fixture.Gate.Refused;
        await fixture.Bus.Publish(new ShipOrder(key), c => c.MessageId = messageId);
        await WaitReceivedAsync(messageId, 1);
        await WaitReceiptsAsync(nameof(Shipped), key, 1);
        var refused = fixture.Gate.Refused - refusedBefore;
        var errorQueue = await fixture.ErrorQueueMessagesAsync(endpoint);
        if (errorQueue is not null)
        {
            errorQueue = await Eventually.MatchAsync(() => fixture.ErrorQueueMessagesAsync(endpoint), n => n >= 1, Deadline, $"the message in {endpoint}_error");
        }

        var crashedInbox = Assert.Single(await fixture.InboxAsync(messageId));
        var stored = await fixture.OutboxAsync(messageId);
        var shippedBefore = Probe.Receipts(nameof(Shipped), key);
        Log($"after the crash: inbox={Describe([crashedInbox])}; stored outbox rows (sequence:MessageId)={string.Join(", ", stored.Select(s => $"{s.Sequence}:{s.MessageId}"))}; " +
            $"Shipped received={string.Join(",", shippedBefore.Select(r => r.Index))}; deliveries refused by the gate={refused}; {endpoint}_error={(errorQueue is null ? "n/a (in-memory)" : errorQueue)}; Fault<ShipOrder> published={Probe.Receipts("Fault<ShipOrder>", key).Count}");

        Assert.NotNull(crashedInbox.ConsumedAt);
        Assert.Null(crashedInbox.DeliveredAt);
        Assert.Equal(3, stored.Count);
        Assert.Equal(stored[0].Sequence, crashedInbox.LastSequenceNumber);
        Assert.Equal([1], shippedBefore.Select(r => r.Index));
        Assert.Equal(stored[0].MessageId, shippedBefore[0].MessageId);
        Assert.Equal(1, Probe.Count(nameof(ShipOrderConsumer), key));
        // Every attempt (first try and each retry) re-tried the pending second message, not the consumer.
        Assert.Equal(OutboxFixture.BusOptions.RetryIntervalsMs.Length + 1, refused);
        if (errorQueue is not null)
        {
            Assert.Equal(1u, errorQueue);
        }

        // 2. The broker hands the same message (same MessageId) over again; delivery works now.
        fixture.Gate.Open(key);
        var sentBefore = fixture.Gate.Sent.Count;
        var clock = Stopwatch.StartNew();
        await fixture.Bus.Publish(new ShipOrder(key), c => c.MessageId = messageId);
        await WaitReceivedAsync(messageId, 2);
        var inbox = await Eventually.MatchAsync(() => fixture.InboxAsync(messageId), r => r.Count == 1 && r[0].DeliveredAt is not null, Deadline, "the inbox row to be delivered", Describe);
        var shipped = await WaitReceiptsAsync(nameof(Shipped), key, 3);
        var elapsed = clock.Elapsed;
        await StaysAsync(() => Probe.Receipts(nameof(Shipped), key).Count, n => n == 3, "no Shipped received twice");
        var left = await fixture.OutboxAsync(messageId);
        var storedIds = stored.Select(s => s.MessageId).ToHashSet();
        var sentAfter = fixture.Gate.Sent.Skip(sentBefore).Where(storedIds.Contains).ToList();

        Log($"redelivery handled in {elapsed.TotalMilliseconds:0} ms: consumer invocations={Probe.Count(nameof(ShipOrderConsumer), key)}; " +
            $"stored messages sent on redelivery={string.Join(", ", sentAfter)}; Shipped receipts in order={string.Join(",", shipped.Select(r => r.Index))}; " +
            $"inbox={Describe(inbox)}; outbox rows left={left.Count}; business rows={await fixture.BusinessRowsAsync(key)}");

        Assert.Equal(1, Probe.Count(nameof(ShipOrderConsumer), key));
        Assert.Equal(1, await fixture.BusinessRowsAsync(key));
        // Only what was pending, in sequence order; the message delivered before the crash is not sent again.
        Assert.Equal([stored[1].MessageId, stored[2].MessageId], sentAfter);
        Assert.Equal([1, 2, 3], shipped.Select(r => r.Index));
        Assert.Equal(stored.Select(s => (Guid?)s.MessageId), shipped.Select(r => r.MessageId));
        Assert.NotNull(inbox[0].DeliveredAt);
        Assert.Empty(left);
    }

    [Fact]
    public async Task Should_keep_saga_state_and_its_commands_atomic()
    {
        var store = fixture.Services.GetRequiredService<SagaDocumentStore<TicketState>>();
        var id = NewId.NextGuid();
        await fixture.Bus.Publish(new OpenTicket(id));
        var opened = await Eventually.MatchAsync(() => store.FindAsync(id, default), s => s?.CurrentState == nameof(TicketStateMachine.Opened), Deadline, "the ticket to be opened", s => s?.CurrentState ?? "none");

        Probe.FailOnce(id);
        var escalateId = NewId.NextGuid();
        var clock = Stopwatch.StartNew();
        await fixture.Bus.Publish(new EscalateTicket(id), c => c.MessageId = escalateId);
        await WaitReceivedAsync(escalateId, 1);
        var escalated = await Eventually.MatchAsync(() => store.FindAsync(id, default), s => s?.CurrentState == nameof(TicketStateMachine.Escalated), Deadline, "the ticket to be escalated", s => $"{s?.CurrentState} v{s?.Version}");
        var pages = await WaitReceiptsAsync(nameof(PageOnCall), id, 1);
        var elapsed = clock.Elapsed;
        await StaysAsync(() => Probe.Receipts(nameof(PageOnCall), id).Count, n => n == 1, "PageOnCall received exactly once");

        Log($"escalated in {elapsed.TotalMilliseconds:0} ms; state machine ran {Probe.Count("escalate-handler", id)} times; inside the failed attempt (after the saga update, in the message's transaction={Probe.FactOf("doomed-in-ambient", id)}): " +
            $"version={Probe.FactOf("doomed-version", id)}, stored commands={Probe.FactOf("doomed-pending", id)}; version {opened!.Version} -> {escalated!.Version}, escalations={escalated.Escalations}; PageOnCall receipts={pages.Count}; faults={Probe.Receipts("Fault<EscalateTicket>", id).Count}");

        // The failure hit after a successful update of the saga row and with the command stored, inside the transaction…
        Assert.Equal("True", Probe.FactOf("doomed-in-ambient", id));
        Assert.Equal((opened.Version + 1).ToString(CultureInfo.InvariantCulture), Probe.FactOf("doomed-version", id));
        Assert.Equal("1", Probe.FactOf("doomed-pending", id));
        // …so the retry ran the transition again on the original state, and only its outcome exists.
        Assert.Equal(2, Probe.Count("escalate-handler", id));
        Assert.Equal(opened.Version + 1, escalated.Version);
        Assert.Equal(1, escalated.Escalations);
        Assert.Single(pages);
        Assert.Empty(Probe.Receipts("Fault<EscalateTicket>", id));
    }

    [Fact]
    public async Task Should_deliver_a_committed_bus_outbox_message_after_Signal_with_its_stored_MessageId()
    {
        var outbox = fixture.Services.GetRequiredService<BusOutbox>();
        var key = NewId.NextGuid();
        Guid messageId;
        await using (var session = await fixture.Database.BeginOwnedAsync())
        {
            messageId = await outbox.PublishAsync(session, new LedgerEntryPosted(key, "signalled"), default);
            await session.CommitAsync();
        }

        var clock = Stopwatch.StartNew();
        outbox.Signal();
        var receipts = await WaitReceiptsAsync(nameof(LedgerEntryPosted), key, 1);
        var elapsed = clock.Elapsed;
        await WaitReceivedAsync(messageId, 1);
        await Eventually.MatchAsync(() => BusOutboxRowsAsync(messageId), n => n == 0, Deadline, "the bus outbox row to be removed");
        await StaysAsync(() => Probe.Receipts(nameof(LedgerEntryPosted), key).Count, n => n == 1, "LedgerEntryPosted received exactly once");

        Log($"bus outbox: committed + Signal -> received after {elapsed.TotalMilliseconds:0} ms; stored MessageId={messageId}, consumed MessageId={receipts[0].MessageId}");

        Assert.Single(receipts);
        Assert.Equal(messageId, receipts[0].MessageId);
    }

    [Fact]
    public async Task Should_never_deliver_a_rolled_back_bus_outbox_message()
    {
        var outbox = fixture.Services.GetRequiredService<BusOutbox>();
        var rolledBack = NewId.NextGuid();
        var sentinel = NewId.NextGuid();
        Guid rolledBackId;
        Guid sentinelId;
        await using (var session = await fixture.Database.BeginOwnedAsync())
        {
            rolledBackId = await outbox.PublishAsync(session, new LedgerEntryPosted(rolledBack, "rolled back"), default);
            Assert.Equal(1, await CountInAsync(session, rolledBackId));
        }

        // Stored after the rolled-back one, so the delivery service (sequence order) reaches it only after that one.
        await using (var session = await fixture.Database.BeginOwnedAsync())
        {
            sentinelId = await outbox.PublishAsync(session, new LedgerEntryPosted(sentinel, "sentinel"), default);
            await session.CommitAsync();
        }

        outbox.Signal();
        await WaitReceiptsAsync(nameof(LedgerEntryPosted), sentinel, 1);
        await StaysAsync(() => Probe.Receipts(nameof(LedgerEntryPosted), rolledBack).Count, n => n == 0, "the rolled-back message not to be received");

        Log($"bus outbox: rolled-back message {rolledBackId} rows after rollback={await BusOutboxRowsAsync(rolledBackId)}, received={Probe.Receipts(nameof(LedgerEntryPosted), rolledBack).Count}; sentinel committed after it received={Probe.Receipts(nameof(LedgerEntryPosted), sentinel).Count}; bus publishes of it={fixture.Gate.Published.Count(id => id == rolledBackId)}, of the sentinel={fixture.Gate.Published.Count(id => id == sentinelId)}");

        Assert.Equal(0, await BusOutboxRowsAsync(rolledBackId));
        Assert.Empty(Probe.Receipts(nameof(LedgerEntryPosted), rolledBack));
        Assert.DoesNotContain(rolledBackId, fixture.Gate.Published);
        Assert.Contains(sentinelId, fixture.Gate.Published);
    }

    [Fact]
    public async Task Should_dead_letter_an_unreadable_bus_outbox_message_and_deliver_the_ones_behind_it()
    {
        var outbox = fixture.Services.GetRequiredService<BusOutbox>();
        var db = fixture.Database;
        var poisonId = NewId.NextGuid();
        var sentinel = NewId.NextGuid();
        await using (var session = await db.BeginOwnedAsync())
        {
            // A row whose type no process knows any more (renamed or removed while the message was pending).
            var template = await outbox.PublishAsync(session, new LedgerEntryPosted(NewId.NextGuid(), "template"), default);
            await session.ExecuteAsync(
                "UPDATE outbox_message SET message_id = @p, message_type = 'No.Such.Type, No.Such.Assembly' WHERE message_id = @t",
                default,
                ("p", db.Id(poisonId)),
                ("t", db.Id(template)));
            await session.CommitAsync();
        }

        await using (var session = await db.BeginOwnedAsync())
        {
            await outbox.PublishAsync(session, new LedgerEntryPosted(sentinel, "behind the poison"), default);
            await session.CommitAsync();
        }

        outbox.Signal();
        await WaitReceiptsAsync(nameof(LedgerEntryPosted), sentinel, 1);

        await using var check = await db.BeginOwnedAsync();
        var reason = await check.ScalarAsync("SELECT dead_letter_reason FROM outbox_message WHERE message_id = @m AND dead_lettered_at IS NOT NULL", default, ("m", db.Id(poisonId)));
        Log($"bus outbox: poison row dead-lettered with reason: {reason}");
        Assert.Contains("No.Such.Type", reason?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_deliver_a_committed_bus_outbox_message_by_polling_without_Signal()
    {
        var outbox = fixture.Services.GetRequiredService<BusOutbox>();
        var key = NewId.NextGuid();
        Guid messageId;
        await using (var session = await fixture.Database.BeginOwnedAsync())
        {
            messageId = await outbox.PublishAsync(session, new LedgerEntryPosted(key, "polled"), default);
            await session.CommitAsync();
        }

        var clock = Stopwatch.StartNew();
        var receipts = await WaitReceiptsAsync(nameof(LedgerEntryPosted), key, 1);
        var elapsed = clock.Elapsed;
        await Eventually.MatchAsync(() => BusOutboxRowsAsync(messageId), n => n == 0, Deadline, "the bus outbox row to be removed");
        await StaysAsync(() => Probe.Receipts(nameof(LedgerEntryPosted), key).Count, n => n == 1, "LedgerEntryPosted received exactly once");

        Log($"bus outbox: committed without Signal -> received after {elapsed.TotalMilliseconds:0} ms (poll interval {OutboxFixture.OutboxOptions.DeliveryPollInterval.TotalMilliseconds:0} ms); MessageId stored={messageId}, consumed={receipts[0].MessageId}");

        Assert.Single(receipts);
        Assert.Equal(messageId, receipts[0].MessageId);
    }

    [Fact]
    public async Task Should_consume_a_bus_outbox_message_published_twice_only_once()
    {
        // A crash between the publish and the delete publishes a stored message again: same MessageId, so the inbox
        // of the receiving consumer recognises it.
        var outbox = fixture.Services.GetRequiredService<BusOutbox>();
        var key = NewId.NextGuid();
        Guid messageId;
        await using (var session = await fixture.Database.BeginOwnedAsync())
        {
            messageId = await outbox.PublishAsync(session, new LedgerEntryPosted(key, "twice"), default);
            await session.ExecuteAsync(
                "INSERT INTO outbox_message (outbox_id, message_id, content_type, message_type, body, sent_time) " +
                "SELECT outbox_id, message_id, content_type, message_type, body, sent_time FROM outbox_message WHERE message_id = @m",
                default,
                ("m", fixture.Database.Id(messageId)));
            Assert.Equal(2, await CountInAsync(session, messageId));
            await session.CommitAsync();
        }

        outbox.Signal();
        await WaitReceivedAsync(messageId, 2);
        var receipts = await WaitReceiptsAsync(nameof(LedgerEntryPosted), key, 1);
        await StaysAsync(() => Probe.Receipts(nameof(LedgerEntryPosted), key).Count, n => n == 1, "LedgerEntryPosted consumed exactly once");
        var inbox = await fixture.InboxAsync(messageId);

        Log($"bus outbox: one message stored twice -> bus publishes={fixture.Gate.Published.Count(id => id == messageId)}, receives completed={fixture.Received.Completed(messageId)}, consumed={receipts.Count}; inbox={Describe(inbox)}");

        Assert.Equal(2, fixture.Gate.Published.Count(id => id == messageId));
        Assert.Single(receipts);
        Assert.Single(inbox);
        Assert.Equal(0, await BusOutboxRowsAsync(messageId));
    }

    [Fact]
    public async Task Should_remove_only_delivered_inbox_rows_older_than_the_window()
    {
        var database = await fixture.NewDatabaseAsync();
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync();
        var window = TimeSpan.FromMinutes(30);
        var now = new DateTimeOffset(2031, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);
        var clock = new ManualClock(now);
        var cleanup = new InboxCleanupService(database, new OutboxOptions { DuplicateDetectionWindow = window }, clock, NullLogger<InboxCleanupService>.Instance);

        var expired = await InsertInboxRowAsync(database, now - TimeSpan.FromDays(1), now - window - TimeSpan.FromMinutes(1));
        var atCutoff = await InsertInboxRowAsync(database, now - TimeSpan.FromDays(1), now - window);
        var recent = await InsertInboxRowAsync(database, now - TimeSpan.FromDays(1), now - window + TimeSpan.FromMinutes(1));
        var undelivered = await InsertInboxRowAsync(database, now - TimeSpan.FromDays(2), deliveredAt: null);

        var first = await cleanup.CleanupAsync(default);
        var afterFirst = await InboxIdsAsync(database);
        clock.Now = now + TimeSpan.FromMinutes(2);
        var second = await cleanup.CleanupAsync(default);
        var afterSecond = await InboxIdsAsync(database);
        clock.Now = now + TimeSpan.FromDays(365);
        var third = await cleanup.CleanupAsync(default);
        var afterThird = await InboxIdsAsync(database);

        Log($"cleanup (window {window.TotalMinutes:0} min): at now removed {first}, left {afterFirst.Count}; at now+2 min removed {second}, left {afterSecond.Count}; a year later removed {third}, left {afterThird.Count} (the undelivered row)");

        Assert.Equal(1, first);
        Assert.Equal(new[] { atCutoff, recent, undelivered }.Order(), afterFirst.Order());
        Assert.DoesNotContain(expired, afterFirst);
        Assert.Equal(2, second);
        Assert.Equal([undelivered], afterSecond);
        Assert.Equal(0, third);
        Assert.Equal([undelivered], afterThird);
    }

    [Fact]
    public async Task Should_keep_a_delivered_inbox_row_for_the_window_and_an_undelivered_one_always()
    {
        // The registered cleanup service against rows written by the real outbox (its timestamps, its format).
        var cleanup = fixture.Services.GetServices<IHostedService>().OfType<InboxCleanupService>().Single();
        var key = NewId.NextGuid();
        var messageId = NewId.NextGuid();
        await fixture.Bus.Publish(new PlaceOrder(key), c => c.MessageId = messageId);
        await WaitReceivedAsync(messageId, 1);
        var delivered = Assert.Single(await Eventually.MatchAsync(() => fixture.InboxAsync(messageId), r => r.Count == 1 && r[0].DeliveredAt is not null, Deadline, "the inbox row to be delivered", Describe));
        var undelivered = await InsertInboxRowAsync(fixture.Database, DateTimeOffset.UtcNow - TimeSpan.FromDays(3), deliveredAt: null);

        fixture.Clock.Now = delivered.DeliveredAt!.Value + OutboxFixture.OutboxOptions.DuplicateDetectionWindow - TimeSpan.FromSeconds(1);
        var early = await cleanup.CleanupAsync(default);
        var afterEarly = (await fixture.InboxAsync(messageId)).Count;
        fixture.Clock.Now = delivered.DeliveredAt!.Value + OutboxFixture.OutboxOptions.DuplicateDetectionWindow + TimeSpan.FromSeconds(1);
        var late = await cleanup.CleanupAsync(default);
        var afterLate = (await fixture.InboxAsync(messageId)).Count;
        var undeliveredLeft = (await fixture.InboxAsync(undelivered)).Count;
        fixture.Clock.Now = DateTimeOffset.UtcNow;

        Log($"registered cleanup: row delivered at {delivered.DeliveredAt:O}; 1 s before the window ends removed {early} (row kept: {afterEarly == 1}); 1 s after removed {late} (row kept: {afterLate == 1}); undelivered row kept: {undeliveredLeft == 1}");

        Assert.Equal(1, afterEarly);
        Assert.Equal(0, afterLate);
        Assert.True(late >= 1, $"removed {late}");
        Assert.Equal(1, undeliveredLeft);
    }

    private async Task<IReadOnlyList<Receipt>> WaitReceiptsAsync(string type, Guid key, int count) =>
        await Eventually.MatchAsync(
            () => Task.FromResult(Probe.Receipts(type, key)),
            r => r.Count >= count,
            Deadline,
            $"{count} {type} for {key}",
            r => $"{r.Count} received",
            () => $"faults: {string.Join("; ", new[] { "PlaceDoomedOrder", "ShipOrder", "EscalateTicket" }.Select(t => Probe.FactOf($"Fault<{t}>", key)).Where(f => f is not null))}; " +
                  $"gate refused {fixture.Gate.Refused}, sent {fixture.Gate.Sent.Count}; Shipped received {string.Join(",", Probe.Receipts(nameof(Shipped), key).Select(r => r.Index))}");

    private Task WaitReceivedAsync(Guid messageId, int times) =>
        Eventually.MatchAsync(
            () => Task.FromResult(fixture.Received.Completed(messageId)),
            n => n >= times,
            Deadline,
            $"{times} completed receive(s) of {messageId}",
            n => $"{n}");

    /// <summary>Proves absence: the condition must hold throughout <see cref="AbsenceWindow"/>.</summary>
    private static async Task StaysAsync<T>(Func<T> probe, Func<T, bool> holds, string what)
    {
        var until = DateTime.UtcNow + AbsenceWindow;
        do
        {
            var value = probe();
            Assert.True(holds(value), $"Expected {what}, saw {value}");
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < until);

        var last = probe();
        Assert.True(holds(last), $"Expected {what}, saw {last}");
    }

    private Task<long> BusOutboxRowsAsync(Guid messageId) =>
        fixture.CountAsync("SELECT COUNT(*) FROM outbox_message WHERE message_id = @m", ("m", fixture.Database.Id(messageId)));

    private static async Task<long> CountInAsync(DbSession session, Guid messageId) =>
        Convert.ToInt64(
            await session.ScalarAsync("SELECT COUNT(*) FROM outbox_message WHERE message_id = @m", default, ("m", session.Database.Id(messageId))),
            CultureInfo.InvariantCulture);

    private static async Task<Guid> InsertInboxRowAsync(Database database, DateTimeOffset receivedAt, DateTimeOffset? deliveredAt)
    {
        var messageId = NewId.NextGuid();
        await OutboxFixture.ExecuteAsync(
            database,
            "INSERT INTO inbox_state (message_id, consumer_id, lock_id, received_at, receive_count, consumed_at, delivered_at) VALUES (@m, @c, @l, @r, 1, @co, @d)",
            ("m", database.Id(messageId)),
            ("c", database.Id(Guid.NewGuid())),
            ("l", database.Id(Guid.NewGuid())),
            ("r", database.Time(receivedAt)),
            ("co", database.Time(receivedAt)),
            ("d", deliveredAt is { } d ? database.Time(d) : null));
        return messageId;
    }

    private static async Task<List<Guid>> InboxIdsAsync(Database database)
    {
        await using var session = await database.BeginOwnedAsync();
        await using var command = session.Command("SELECT message_id FROM inbox_state");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(Database.ReadId(reader, 0));
        }

        return ids;
    }

    private static string Describe(IReadOnlyList<InboxSnapshot> rows) =>
        rows.Count == 0
            ? "no row"
            : string.Join("; ", rows.Select(r => $"receive_count={r.ReceiveCount}, consumed={(r.ConsumedAt is null ? "no" : "yes")}, delivered={(r.DeliveredAt is null ? "no" : "yes")}, last_sequence={r.LastSequenceNumber?.ToString(CultureInfo.InvariantCulture) ?? "null"}"));

    private void Log(string line) => output.WriteLine($"{fixture.Backend}: {line}");
}

public sealed class SqlOutbox_on_SQLite_with_in_memory_transport(SqliteInMemoryOutboxFixture fixture, ITestOutputHelper output)
    : SqlOutboxTests<SqliteInMemoryOutboxFixture>(fixture, output);

public sealed class SqlOutbox_on_PostgreSQL_with_RabbitMQ(PostgresRabbitMqOutboxFixture fixture, ITestOutputHelper output)
    : SqlOutboxTests<PostgresRabbitMqOutboxFixture>(fixture, output);

using System.Collections.Concurrent;
using BacBos.Platform.Data;
using BacBos.Platform.Sagas;
using MassTransit;

namespace BacBos.Integration.Tests.Outbox;

// Every scenario has its own message types and consumers, so each one gets its own queue (and its own _error queue)
// and tests sharing one bus cannot see each other's traffic. Every message carries the test's key.

/// <summary>Scenario 1: write a row, publish one event.</summary>
public sealed record PlaceOrder(Guid Key);

public sealed record OrderPlaced(Guid Key);

/// <summary>Scenario 2: write a row, publish one event, then fail on every attempt.</summary>
public sealed record PlaceDoomedOrder(Guid Key);

public sealed record DoomedOrderPlaced(Guid Key);

/// <summary>Scenario 3: the same message (same MessageId) arrives twice.</summary>
public sealed record RecordPayment(Guid Key);

public sealed record PaymentRecorded(Guid Key);

/// <summary>Scenario 4: write a row, publish three events (the second one can be held back by <see cref="DeliveryGate"/>).</summary>
public sealed record ShipOrder(Guid Key);

public sealed record Shipped(Guid Key, int Index);

/// <summary>Scenario 6: published through the bus outbox, not from a consumer.</summary>
public sealed record LedgerEntryPosted(Guid Key, string Note);

/// <summary>Scenario 5: the ticket saga.</summary>
public sealed record OpenTicket(Guid TicketId);

public sealed record EscalateTicket(Guid TicketId);

public sealed record PageOnCall(Guid TicketId);

/// <summary>A message as one receiving consumer saw it.</summary>
public sealed record Receipt(string Type, Guid Key, int Index, Guid? MessageId);

/// <summary>
/// What the test consumers did, shared by all of them (a singleton): invocations per consumer and key, receipts of
/// the follow-up events, and facts observed from inside the consumer's transaction.
/// </summary>
public sealed class OutboxProbe
{
    private readonly ConcurrentDictionary<(string Name, Guid Key), int> _counters = new();
    private readonly ConcurrentQueue<Receipt> _receipts = new();
    private readonly ConcurrentDictionary<(string Name, Guid Key), string> _facts = new();
    private readonly ConcurrentDictionary<Guid, bool> _failOnce = new();

    public int Increment(string name, Guid key) => _counters.AddOrUpdate((name, key), 1, (_, n) => n + 1);

    public int Count(string name, Guid key) => _counters.TryGetValue((name, key), out var n) ? n : 0;

    public void Receive(Receipt receipt) => _receipts.Enqueue(receipt);

    public IReadOnlyList<Receipt> Receipts(string type, Guid key) => _receipts.Where(r => r.Type == type && r.Key == key).ToList();

    public void Fact(string name, Guid key, string value) => _facts[(name, key)] = value;

    public string? FactOf(string name, Guid key) => _facts.TryGetValue((name, key), out var v) ? v : null;

    /// <summary>Arms a single failure for <paramref name="key"/>; <see cref="TakeFailure"/> returns true once.</summary>
    public void FailOnce(Guid key) => _failOnce[key] = true;

    public bool TakeFailure(Guid key) => _failOnce.TryRemove(key, out _);
}

/// <summary>Business writes of the test consumers: a table without any unique constraint, so a second run would show.</summary>
public static class BusinessRows
{
    public const string CreateTable = "CREATE TABLE outbox_test_rows (test_key text NOT NULL, source text NOT NULL)";

    /// <summary>Inserts through <see cref="Database.BeginAsync"/>, which joins the message's (ambient) transaction.</summary>
    public static async Task<bool> InsertAsync(Database database, Guid key, string source, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await session.ExecuteAsync(
            "INSERT INTO outbox_test_rows (test_key, source) VALUES (@k, @s)",
            cancellationToken,
            ("k", key.ToString("D")),
            ("s", source));
        await session.CommitAsync(cancellationToken);
        return session.IsJoined;
    }

    /// <summary>Outbox rows stored so far for the message being consumed, read inside its own transaction.</summary>
    public static async Task<long> PendingInAmbientAsync(Guid inboxMessageId, CancellationToken cancellationToken)
    {
        var ambient = Database.Ambient ?? throw new InvalidOperationException("No ambient transaction");
        var value = await ambient.ScalarAsync(
            "SELECT COUNT(*) FROM outbox_message WHERE inbox_message_id = @m",
            cancellationToken,
            ("m", ambient.Database.Id(inboxMessageId)));
        return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class PlaceOrderConsumer(Database database, OutboxProbe probe) : IConsumer<PlaceOrder>
{
    public async Task Consume(ConsumeContext<PlaceOrder> context)
    {
        var key = context.Message.Key;
        probe.Increment(nameof(PlaceOrderConsumer), key);
        var joined = await BusinessRows.InsertAsync(database, key, nameof(PlaceOrder), context.CancellationToken);
        await context.Publish(new OrderPlaced(key), context.CancellationToken);

        // Still inside the message's transaction: the event is a stored row, nobody received it yet.
        var stored = await BusinessRows.PendingInAmbientAsync(context.MessageId!.Value, context.CancellationToken);
        probe.Fact("joined", key, joined.ToString());
        probe.Fact("stored-before-commit", key, stored.ToString(System.Globalization.CultureInfo.InvariantCulture));
        probe.Fact("received-before-commit", key, probe.Receipts(nameof(OrderPlaced), key).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class PlaceDoomedOrderConsumer(Database database, OutboxProbe probe) : IConsumer<PlaceDoomedOrder>
{
    public async Task Consume(ConsumeContext<PlaceDoomedOrder> context)
    {
        var key = context.Message.Key;
        var attempt = probe.Increment(nameof(PlaceDoomedOrderConsumer), key);
        await BusinessRows.InsertAsync(database, key, nameof(PlaceDoomedOrder), context.CancellationToken);
        await context.Publish(new DoomedOrderPlaced(key), context.CancellationToken);
        throw new InvalidOperationException($"Doomed order {key} fails (attempt {attempt}, retry attempt {context.GetRetryAttempt()})");
    }
}

public sealed class RecordPaymentConsumer(Database database, OutboxProbe probe) : IConsumer<RecordPayment>
{
    public async Task Consume(ConsumeContext<RecordPayment> context)
    {
        var key = context.Message.Key;
        probe.Increment(nameof(RecordPaymentConsumer), key);
        await BusinessRows.InsertAsync(database, key, nameof(RecordPayment), context.CancellationToken);
        await context.Publish(new PaymentRecorded(key), context.CancellationToken);
    }
}

public sealed class ShipOrderConsumer(Database database, OutboxProbe probe) : IConsumer<ShipOrder>
{
    public async Task Consume(ConsumeContext<ShipOrder> context)
    {
        var key = context.Message.Key;
        probe.Increment(nameof(ShipOrderConsumer), key);
        await BusinessRows.InsertAsync(database, key, nameof(ShipOrder), context.CancellationToken);
        await context.Publish(new Shipped(key, 1), context.CancellationToken);
        await context.Publish(new Shipped(key, 2), p => p.Headers.Set(DeliveryGate.Header, key.ToString("D")), context.CancellationToken);
        await context.Publish(new Shipped(key, 3), context.CancellationToken);
    }
}

/// <summary>Receives every follow-up event and records it (key, index, MessageId as the consumer saw it).</summary>
public sealed class FollowUpConsumer(OutboxProbe probe) :
    IConsumer<OrderPlaced>,
    IConsumer<DoomedOrderPlaced>,
    IConsumer<PaymentRecorded>,
    IConsumer<Shipped>,
    IConsumer<LedgerEntryPosted>,
    IConsumer<PageOnCall>
{
    public Task Consume(ConsumeContext<OrderPlaced> context) => Record(context, context.Message.Key);

    public Task Consume(ConsumeContext<DoomedOrderPlaced> context) => Record(context, context.Message.Key);

    public Task Consume(ConsumeContext<PaymentRecorded> context) => Record(context, context.Message.Key);

    public Task Consume(ConsumeContext<Shipped> context) => Record(context, context.Message.Key, context.Message.Index);

    public Task Consume(ConsumeContext<LedgerEntryPosted> context) => Record(context, context.Message.Key);

    public Task Consume(ConsumeContext<PageOnCall> context) => Record(context, context.Message.TicketId);

    private Task Record<T>(ConsumeContext<T> context, Guid key, int index = 0)
        where T : class
    {
        probe.Receive(new Receipt(typeof(T).Name, key, index, context.MessageId));
        return Task.CompletedTask;
    }
}

/// <summary>Faults of the scenario commands (a message that exhausted its retries).</summary>
public sealed class OutboxFaultConsumer(OutboxProbe probe) :
    IConsumer<Fault<PlaceDoomedOrder>>,
    IConsumer<Fault<ShipOrder>>,
    IConsumer<Fault<EscalateTicket>>
{
    public Task Consume(ConsumeContext<Fault<PlaceDoomedOrder>> context) => Record(context, context.Message.Message.Key);

    public Task Consume(ConsumeContext<Fault<ShipOrder>> context) => Record(context, context.Message.Message.Key);

    public Task Consume(ConsumeContext<Fault<EscalateTicket>> context) => Record(context, context.Message.Message.TicketId);

    private Task Record<T>(ConsumeContext<Fault<T>> context, Guid key)
        where T : class
    {
        var reasons = string.Join(" | ", context.Message.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}"));
        probe.Receive(new Receipt($"Fault<{typeof(T).Name}>", key, 0, context.Message.FaultedMessageId));
        probe.Fact($"Fault<{typeof(T).Name}>", key, reasons);
        return Task.CompletedTask;
    }
}

public sealed class TicketState : IPersistedSaga
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public int Version { get; set; }

    public int Escalations { get; set; }
}

/// <summary>Open, then Escalate: one transition that also publishes a command (<see cref="PageOnCall"/>).</summary>
public sealed class TicketStateMachine : MassTransitStateMachine<TicketState>
{
    public TicketStateMachine(OutboxProbe probe)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Open, e =>
        {
            e.CorrelateById(m => m.Message.TicketId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(m => new TicketState { CorrelationId = m.Message.TicketId });
        });
        Event(() => Escalate, e => e.CorrelateById(m => m.Message.TicketId));

        Initially(When(Open).TransitionTo(Opened));
        During(Opened,
            When(Escalate)
                .Then(c =>
                {
                    probe.Increment("escalate-handler", c.Saga.CorrelationId);
                    c.Saga.Escalations++;
                })
                .Publish(c => new PageOnCall(c.Saga.CorrelationId))
                .TransitionTo(Escalated));
    }

    public State Opened { get; } = null!;

    public State Escalated { get; } = null!;

    public Event<OpenTicket> Open { get; } = null!;

    public Event<EscalateTicket> Escalate { get; } = null!;
}

/// <summary>
/// On the saga's <see cref="EscalateTicket"/> pipe, after the saga repository has loaded, run the state machine and
/// updated the instance (inside the message's transaction), fails once per armed key: the update and the published
/// command must roll back together.
/// </summary>
public sealed class FailAfterSagaStepFilter(OutboxProbe probe) : IFilter<ConsumeContext<EscalateTicket>>
{
    public async Task Send(ConsumeContext<EscalateTicket> context, IPipe<ConsumeContext<EscalateTicket>> next)
    {
        await next.Send(context);

        var id = context.Message.TicketId;
        if (!probe.TakeFailure(id))
        {
            return;
        }

        // Evidence that the failure happens after a successful saga update, inside the message's transaction.
        var ambient = Database.Ambient;
        if (ambient is not null)
        {
            var version = await ambient.ScalarAsync(
                "SELECT version FROM saga_instances WHERE saga_type = @t AND correlation_id = @id",
                context.CancellationToken,
                ("t", SagaDocumentStore<TicketState>.SagaType),
                ("id", ambient.Database.Id(id)));
            var pending = await BusinessRows.PendingInAmbientAsync(context.MessageId!.Value, context.CancellationToken);
            probe.Fact("doomed-version", id, Convert.ToString(version, System.Globalization.CultureInfo.InvariantCulture) ?? "null");
            probe.Fact("doomed-pending", id, pending.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        probe.Fact("doomed-in-ambient", id, (ambient is not null).ToString());
        throw new InvalidOperationException($"Injected failure after the saga step for ticket {id}");
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("fail-after-saga-step");
}

/// <summary>
/// Puts <see cref="FailAfterSagaStepFilter"/> on the saga's <see cref="EscalateTicket"/> pipe. Connected to the endpoint
/// after <c>ApplyEndpointPolicy</c>, so its filter comes after (inside) the SQL outbox filter, right before the saga
/// repository: the filter runs in the message's transaction.
/// </summary>
public sealed class FailAfterSagaStepObserver(OutboxProbe probe) : ISagaConfigurationObserver
{
    public void SagaConfigured<TSaga>(ISagaConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
    {
    }

    public void StateMachineSagaConfigured<TInstance>(ISagaConfigurator<TInstance> configurator, SagaStateMachine<TInstance> stateMachine)
        where TInstance : class, ISaga, SagaStateMachineInstance
    {
    }

    public void SagaMessageConfigured<TSaga, TMessage>(ISagaMessageConfigurator<TSaga, TMessage> configurator)
        where TSaga : class, ISaga
        where TMessage : class
    {
        if (configurator is ISagaMessageConfigurator<EscalateTicket> escalate)
        {
            escalate.UseFilter(new FailAfterSagaStepFilter(probe));
        }
    }
}

/// <summary>
/// A send observer on the bus: refuses to send a message carrying <see cref="Header"/> = a closed key (so a stored
/// outbox message fails at delivery), and logs every message actually handed to the transport, in order.
/// </summary>
public sealed class DeliveryGate : ISendObserver, IPublishObserver
{
    public const string Header = "X-Test-Gate";

    private readonly ConcurrentDictionary<string, bool> _closed = new();
    private readonly ConcurrentQueue<Guid> _sent = new();
    private readonly ConcurrentQueue<Guid> _published = new();
    private int _refused;

    public int Refused => Volatile.Read(ref _refused);

    public void Close(Guid key) => _closed[key.ToString("D")] = true;

    public void Open(Guid key) => _closed.TryRemove(key.ToString("D"), out _);

    /// <summary>MessageIds sent through a send endpoint (this is how a consumer's stored messages are delivered), in order.</summary>
    public IReadOnlyList<Guid> Sent => _sent.ToArray();

    /// <summary>MessageIds published on the bus (this is how the bus outbox delivers), in order.</summary>
    public IReadOnlyList<Guid> Published => _published.ToArray();

    public Task PreSend<T>(SendContext<T> context)
        where T : class
    {
        if (context.Headers.TryGetHeader(Header, out var value) && value?.ToString() is { } key && _closed.ContainsKey(key))
        {
            Interlocked.Increment(ref _refused);
            throw new InvalidOperationException($"Delivery of {context.MessageId} held back by the test gate ({key})");
        }

        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _sent.Enqueue(id);
        }

        return Task.CompletedTask;
    }

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _published.Enqueue(id);
        }

        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

/// <summary>Counts receives that finished (acknowledged, or faulted to the error queue) per transport MessageId.</summary>
public sealed class ReceiveLog : IReceiveObserver
{
    private readonly ConcurrentDictionary<Guid, int> _completed = new();

    public int Completed(Guid messageId) => _completed.TryGetValue(messageId, out var n) ? n : 0;

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Done(context);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Done(context);

    private Task Done(ReceiveContext context)
    {
        if (context.GetMessageId() is { } id)
        {
            _completed.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A clock the test sets by hand (for the inbox cleanup window).</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

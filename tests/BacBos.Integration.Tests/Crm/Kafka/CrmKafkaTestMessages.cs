using System.Collections.Concurrent;
using BacBos.Contracts.Crm;
using MassTransit;

namespace BacBos.Integration.Tests.Crm.Kafka;

/// <summary>CRM events as the CRM would publish them (fresh event ids, the given aggregate and sequence).</summary>
public static class CrmEvents
{
    public static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);

    public static LeadCreated LeadCreated(Guid tenant, Guid lead, long sequence = 1) =>
        new(NewId.NextGuid(), tenant, lead, sequence, At, "api-key:it", "Ada Obi", "ada@lagosfresh.example", null, "Lagos Fresh", "web", "high", "new");

    public static LeadStatusChanged LeadStatusChanged(Guid tenant, Guid lead, long sequence, string from, string to) =>
        new(NewId.NextGuid(), tenant, lead, sequence, At.AddMinutes(sequence), "api-key:it", from, to);

    public static LeadQualified LeadQualified(Guid tenant, Guid lead, long sequence) =>
        new(NewId.NextGuid(), tenant, lead, sequence, At.AddMinutes(sequence), "api-key:it", "Ada Obi", "Lagos Fresh", "web", "high");

    public static LeadConverted LeadConverted(Guid tenant, Guid lead, long sequence, Guid contact, Guid opportunity) =>
        new(NewId.NextGuid(), tenant, lead, sequence, At.AddMinutes(sequence), "api-key:it", contact, opportunity);

    public static OpportunityCreated OpportunityCreated(Guid tenant, Guid opportunity, Guid? lead = null) =>
        new(NewId.NextGuid(), tenant, opportunity, 1, At, "api-key:it", null, lead, 1250000.50m, "NGN", "prospect", 10m, new DateOnly(2027, 1, 31));

    public static OpportunityStageChanged OpportunityStageChanged(Guid tenant, Guid opportunity, long sequence, string from, string to) =>
        new(NewId.NextGuid(), tenant, opportunity, sequence, At.AddMinutes(sequence), "api-key:it", from, to, 1250000.50m, "NGN", 25m);

    public static OpportunityWon OpportunityWon(Guid tenant, Guid opportunity, long sequence) =>
        new(NewId.NextGuid(), tenant, opportunity, sequence, At.AddMinutes(sequence), "api-key:it", null, 1250000.50m, "NGN", At.AddMinutes(sequence), "signed");

    public static OpportunityLost OpportunityLost(Guid tenant, Guid opportunity, long sequence) =>
        new(NewId.NextGuid(), tenant, opportunity, sequence, At.AddMinutes(sequence), "api-key:it", At.AddMinutes(sequence), "budget cut");
}

/// <summary>Every message a node's consumers finished with (consumed, or acknowledged by a filter), in order.</summary>
public sealed class ConsumedLog : IConsumeObserver
{
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _entries = new();

    public int Count(Guid messageId) => _entries.Count(e => e.MessageId == messageId);

    public int CountOf<T>(Func<T, bool> match)
        where T : class => _entries.Count(e => e.Message is T m && match(m));

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        _entries.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

/// <summary>What <see cref="RecordingInboundLeadConsumer"/> saw.</summary>
public sealed record ReceivedInboundLead(Guid? MessageId, Guid? ConversationId, string? Source, SubmitInboundLead Message);

public sealed class InboundLeadLog
{
    private readonly ConcurrentQueue<ReceivedInboundLead> _received = new();

    public IReadOnlyList<ReceivedInboundLead> Received => _received.ToList();

    public void Add(ReceivedInboundLead lead) => _received.Enqueue(lead);
}

/// <summary>Stands in for the CRM's <c>SubmitInboundLead</c> consumer: records each message it is given (behind the SQL inbox).</summary>
public sealed class RecordingInboundLeadConsumer(InboundLeadLog log) : IConsumer<SubmitInboundLead>
{
    public Task Consume(ConsumeContext<SubmitInboundLead> context)
    {
        log.Add(new ReceivedInboundLead(
            context.MessageId,
            context.ConversationId,
            context.Headers.Get<string>(BacBos.Consumers.Crm.Kafka.Inbound.KafkaInboundLeadService.SourceHeader),
            context.Message));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Records the message id of every <c>SubmitInboundLead</c> published; optionally holds the first one after it reached
/// the broker (PostPublish) until <see cref="Release"/>, so a test can stop the publisher before it commits the record.
/// </summary>
public sealed class InboundPublishGate(bool holdFirst) : IPublishObserver
{
    private readonly ConcurrentQueue<Guid?> _published = new();
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _first = holdFirst ? 1 : 0;

    public IReadOnlyList<Guid?> Published => _published.ToList();

    /// <summary>Completes when the first publish is being held.</summary>
    public Task Held => _held.Task;

    public void Release() => _release.TrySetResult();

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public async Task PostPublish<T>(PublishContext<T> context)
        where T : class
    {
        if (context.Message is not SubmitInboundLead)
        {
            return;
        }

        _published.Enqueue(context.MessageId);
        if (Interlocked.Exchange(ref _first, 0) == 1)
        {
            _held.TrySetResult();
            await _release.Task;
        }
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

/// <summary>Every transport message a node finished receiving (acknowledged), by message id.</summary>
public sealed class ReceivedLog : IReceiveObserver
{
    private readonly ConcurrentQueue<Guid?> _received = new();

    public int Count(Guid messageId) => _received.Count(id => id == messageId);

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        _received.Enqueue(context.GetMessageId());
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}

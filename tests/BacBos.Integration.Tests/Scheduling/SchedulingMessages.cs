using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Scheduling;

namespace BacBos.Integration.Tests.Scheduling;

/// <summary>A message sent later through the scheduler.</summary>
public sealed record ScheduledPing(Guid PingId, string Text);

/// <summary>A scheduling command built by hand, to send the very same one twice.</summary>
public sealed record RepeatedScheduleMessage(Guid CorrelationId, DateTime ScheduledTime, string[] PayloadType, Uri Destination, object Payload)
    : ScheduleMessage;

/// <summary>A cron schedule firing every second.</summary>
public sealed class EverySecond : DefaultRecurringSchedule
{
    public EverySecond(string scheduleId)
    {
        ScheduleId = scheduleId;
        ScheduleGroup = "bacbos-it";
        CronExpression = "* * * * * ?";
        Description = "integration test: every second";
    }
}

/// <summary>Work whose consumer fails on its first two deliveries.</summary>
public sealed record FlakyWork(Guid WorkId);

/// <summary>One delivery as a consumer saw it.</summary>
public sealed record Delivery(
    Guid Id,
    string Host,
    DateTime ReceivedAt,
    Guid? MessageId,
    Guid? CorrelationId,
    Guid? SchedulingTokenId,
    int? RedeliveryCount,
    string? Tag,
    Guid? OriginalMessageId,
    DateTime? ExpirationTime,
    bool Succeeded,
    DateTimeOffset? ScheduledFor = null);

/// <summary>Every delivery the test consumers of one host saw (a singleton per host).</summary>
public sealed class DeliveryLog(string host)
{
    public const string TagHeader = "X-BacBos-Test-Tag";

    private readonly ConcurrentQueue<Delivery> _deliveries = new();

    public string Host => host;

    public IReadOnlyList<Delivery> Of(Guid id) => _deliveries.Where(d => d.Id == id).ToList();

    public Delivery Record(ConsumeContext context, Guid id, bool succeeded = true)
    {
        var delivery = new Delivery(
            id,
            host,
            DateTime.UtcNow,
            context.MessageId,
            context.CorrelationId,
            context.Headers.Get<Guid>(MessageHeaders.SchedulingTokenId),
            context.Headers.Get<int>(MessageHeaders.RedeliveryCount),
            context.Headers.Get<string>(TagHeader),
            context.Headers.Get<Guid>(MessageHeaders.OriginalMessageId),
            context.ExpirationTime,
            succeeded,
            DateTimeOffset.TryParse(
                context.Headers.Get<string>(MessageHeaders.Quartz.Scheduled),
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind,
                out var scheduledFor) ? scheduledFor : null);
        _deliveries.Enqueue(delivery);
        return delivery;
    }
}

public sealed class ScheduledPingConsumer(DeliveryLog log) : IConsumer<ScheduledPing>
{
    public Task Consume(ConsumeContext<ScheduledPing> context)
    {
        log.Record(context, context.Message.PingId);
        return Task.CompletedTask;
    }
}

/// <summary>Throws on the first two deliveries of a work item, succeeds on the third.</summary>
public sealed class FlakyWorkConsumer(DeliveryLog log) : IConsumer<FlakyWork>
{
    public const int FailedAttempts = 2;

    public Task Consume(ConsumeContext<FlakyWork> context)
    {
        var previous = log.Of(context.Message.WorkId).Count;
        var succeeds = previous >= FailedAttempts;
        log.Record(context, context.Message.WorkId, succeeds);
        return succeeds
            ? Task.CompletedTask
            : throw new InvalidOperationException($"attempt {previous + 1} of work {context.Message.WorkId} fails on purpose");
    }
}

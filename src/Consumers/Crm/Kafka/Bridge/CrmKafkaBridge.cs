using System.Text;
using BacBos.Contracts.Crm;
using BacBos.Platform.Data;
using Confluent.Kafka;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>
/// Forwards one CRM event to its topic, in order per aggregate: lock the aggregate's position, decide
/// (<see cref="BridgeSequence.Decide"/>), produce and wait for Kafka's acknowledgement, advance the position. All in the
/// message's transaction (the SQL inbox joins it), so the bus message, the position and the produced record agree; a
/// crash after the acknowledgement but before the commit produces the event once more, with the same
/// <c>message_id</c> (at least once).
/// </summary>
public sealed class CrmKafkaBridge(Database database, CrmKafkaProducer producer, CrmEventRoutes routes, ILogger<CrmKafkaBridge> logger)
{
    public async Task ForwardAsync<T>(ConsumeContext<T> context)
        where T : class, ICrmEvent
    {
        var crmEvent = context.Message;
        var route = routes.For(crmEvent);
        var cancellationToken = context.CancellationToken;
        await using var session = await database.BeginAsync(cancellationToken);
        var position = await BridgePositionStore.LockAsync(session, crmEvent, cancellationToken);
        switch (BridgeSequence.Decide(position, crmEvent.Sequence, crmEvent.EventId))
        {
            case BridgeStep.Duplicate:
                CrmKafkaMetrics.Bridged(route.EventType, "duplicate");
                logger.LogInformation(
                    "{EventType} {EventId} (sequence {Sequence} of {AggregateId}, tenant {TenantId}) was produced before (position {LastSequence}); not produced again",
                    route.EventType, crmEvent.EventId, crmEvent.Sequence, crmEvent.AggregateId, crmEvent.TenantId, position.LastSequence);
                await session.CommitAsync(cancellationToken);
                return;
            case BridgeStep.Early:
                CrmKafkaMetrics.Bridged(route.EventType, "early");
                throw new CrmEventOutOfOrderException(crmEvent.AggregateId, crmEvent.Sequence, position.LastSequence);
            case BridgeStep.Conflict:
                CrmKafkaMetrics.Bridged(route.EventType, "conflict");
                throw new CrmEventSequenceException(
                    $"{route.EventType} {crmEvent.EventId} has sequence {crmEvent.Sequence} of aggregate {crmEvent.AggregateId}, which cannot be produced in order " +
                    $"(last produced: {position.LastSequence}, event {position.LastEventId}); sequences start at 1 and every event of an aggregate has its own.");
        }

        var result = await producer.ProduceAsync(route.Topic, Record(context, crmEvent, route), cancellationToken);
        await BridgePositionStore.AdvanceAsync(session, crmEvent, route.EventType, result.TopicPartitionOffset, cancellationToken);
        await session.CommitAsync(cancellationToken);
        CrmKafkaMetrics.Bridged(route.EventType, "produced");
        logger.LogInformation(
            "{EventType} {EventId} (sequence {Sequence} of {AggregateId}, tenant {TenantId}) produced to {KafkaTopicPartitionOffset}",
            route.EventType, crmEvent.EventId, crmEvent.Sequence, crmEvent.AggregateId, crmEvent.TenantId, result.TopicPartitionOffset);
    }

    /// <summary>The Kafka record of an event: key = aggregate id, value = <see cref="CrmEventJson"/>, headers as documented.</summary>
    public static Message<byte[]?, byte[]?> Record(ConsumeContext context, ICrmEvent crmEvent, CrmEventRoute route)
    {
        var headers = new Confluent.Kafka.Headers();
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.MessageId, crmEvent.EventId);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.CorrelationId, CorrelationId(context, crmEvent));
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.TenantId, crmEvent.TenantId);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.EventType, route.EventType);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.Sequence, crmEvent.Sequence);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.ContentType, "application/json");
        return new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(crmEvent.AggregateId.ToString("D")),
            Value = CrmEventJson.Serialize(crmEvent, route.EventType),
            Headers = headers,
            Timestamp = new Timestamp(crmEvent.OccurredAt.UtcDateTime, TimestampType.CreateTime),
        };
    }

    /// <summary>
    /// The bus message's CorrelationId when its publisher set one, else its ConversationId (shared by every message one
    /// API call or inbound record caused), else the aggregate id. All three survive redeliveries unchanged.
    /// </summary>
    public static Guid CorrelationId(ConsumeContext context, ICrmEvent crmEvent) =>
        context.CorrelationId ?? context.ConversationId ?? crmEvent.AggregateId;
}

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>
/// Transient: an event arrived before its predecessor was produced to Kafka (RabbitMQ redelivery, retries or concurrent
/// consumers reordered the aggregate's events). <see cref="OutOfOrderRedeliveryFilter{T}"/> schedules the event again;
/// once its waits are used up the endpoint's retry and redelivery take over, then <c>_error</c>.
/// </summary>
public sealed class CrmEventOutOfOrderException(Guid aggregateId, long sequence, long lastProduced)
    : Exception($"Event {sequence} of aggregate {aggregateId} arrived before event {lastProduced + 1}; the last one produced to Kafka is {lastProduced}.")
{
    public Guid AggregateId => aggregateId;

    public long Sequence => sequence;

    public long LastProduced => lastProduced;
}

/// <summary>
/// Permanent: the event can never be produced in order — its sequence is below 1, or another event of the aggregate
/// was already produced with the same sequence number. It ends in the bridge endpoint's <c>_error</c> queue.
/// </summary>
public sealed class CrmEventSequenceException(string message) : Exception(message);

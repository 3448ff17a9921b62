using BacBos.Contracts.Crm;
using BacBos.Platform.Data;
using Confluent.Kafka;

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>
/// <c>kafka_bridge_positions</c> (platform database, migration <c>0008_kafka_bridge.sql</c>): per aggregate, the last
/// sequence produced to Kafka and where it went. Used inside the bridge consumer's transaction — under the SQL
/// inbox/outbox that is the message's own transaction — so the position commits only after Kafka acknowledged the
/// record, and only if the message is acknowledged too.
/// </summary>
public static class BridgePositionStore
{
    /// <summary>
    /// Creates the aggregate's row at position 0 if it is missing and locks it (PostgreSQL <c>FOR UPDATE</c>; SQLite's
    /// <c>BEGIN IMMEDIATE</c> already serialises writers), so two deliveries of one aggregate never produce at once.
    /// </summary>
    public static async Task<BridgePosition> LockAsync(DbSession session, ICrmEvent crmEvent, CancellationToken cancellationToken)
    {
        var db = session.Database;
        await session.ExecuteAsync(
            "INSERT INTO kafka_bridge_positions (aggregate_id, tenant_id, last_sequence, updated_at) VALUES (@a, @t, 0, @u) ON CONFLICT (aggregate_id) DO NOTHING",
            cancellationToken,
            ("a", db.Id(crmEvent.AggregateId)),
            ("t", db.Id(crmEvent.TenantId)),
            ("u", db.Time(DateTimeOffset.UtcNow)));
        await using var command = session.Command(
            "SELECT last_sequence, last_event_id FROM kafka_bridge_positions WHERE aggregate_id = @a" + db.ForUpdate,
            ("a", db.Id(crmEvent.AggregateId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"The bridge position of aggregate {crmEvent.AggregateId} vanished inside its transaction.");
        }

        return new BridgePosition(reader.GetInt64(0), reader.IsDBNull(1) ? null : Database.ReadId(reader, 1));
    }

    /// <summary>Moves the aggregate's position to <paramref name="crmEvent"/> after Kafka acknowledged it at <paramref name="produced"/>.</summary>
    public static async Task AdvanceAsync(DbSession session, ICrmEvent crmEvent, string eventType, TopicPartitionOffset produced, CancellationToken cancellationToken)
    {
        var db = session.Database;
        var updated = await session.ExecuteAsync(
            "UPDATE kafka_bridge_positions SET last_sequence = @s, last_event_id = @e, last_event_type = @type, last_topic = @topic, " +
            "last_partition = @p, last_offset = @o, updated_at = @u WHERE aggregate_id = @a AND last_sequence = @previous",
            cancellationToken,
            ("s", crmEvent.Sequence),
            ("e", db.Id(crmEvent.EventId)),
            ("type", eventType),
            ("topic", produced.Topic),
            ("p", produced.Partition.Value),
            ("o", produced.Offset.Value),
            ("u", db.Time(DateTimeOffset.UtcNow)),
            ("a", db.Id(crmEvent.AggregateId)),
            ("previous", crmEvent.Sequence - 1));
        if (updated != 1)
        {
            throw new InvalidOperationException($"The bridge position of aggregate {crmEvent.AggregateId} moved while it was locked.");
        }
    }
}

using BacBos.Platform.Data;

namespace BacBos.Platform.Outbox;

/// <summary>One <c>inbox_state</c> row: a message as seen by one consumer.</summary>
internal sealed class InboxRow
{
    public Guid MessageId { get; init; }

    public Guid ConsumerId { get; init; }

    public int ReceiveCount { get; set; }

    public DateTimeOffset? ConsumedAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public long? LastSequenceNumber { get; set; }

    /// <summary>Loads the row with a lock (PostgreSQL <c>FOR UPDATE</c>; SQLite holds the write lock already).</summary>
    public static async Task<InboxRow?> LockAsync(DbSession session, Guid messageId, Guid consumerId, CancellationToken cancellationToken)
    {
        var db = session.Database;
        await using var command = session.Command(
            "SELECT receive_count, consumed_at, delivered_at, last_sequence_number FROM inbox_state WHERE message_id = @m AND consumer_id = @c" + db.ForUpdate,
            ("m", db.Id(messageId)),
            ("c", db.Id(consumerId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new InboxRow
        {
            MessageId = messageId,
            ConsumerId = consumerId,
            ReceiveCount = reader.GetInt32(0),
            ConsumedAt = reader.IsDBNull(1) ? null : Database.ReadTime(reader, 1),
            DeliveredAt = reader.IsDBNull(2) ? null : Database.ReadTime(reader, 2),
            LastSequenceNumber = reader.IsDBNull(3) ? null : reader.GetInt64(3),
        };
    }

    /// <summary>Creates the row unless a concurrent delivery of the same message already did.</summary>
    public static Task<int> TryCreateAsync(DbSession session, Guid messageId, Guid consumerId, CancellationToken cancellationToken)
    {
        var db = session.Database;
        return session.ExecuteAsync(
            "INSERT INTO inbox_state (message_id, consumer_id, lock_id, received_at, receive_count) VALUES (@m, @c, @l, @t, 0) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("m", db.Id(messageId)),
            ("c", db.Id(consumerId)),
            ("l", db.Id(Guid.NewGuid())),
            ("t", db.Time(DateTimeOffset.UtcNow)));
    }

    public Task SaveAsync(DbSession session, CancellationToken cancellationToken)
    {
        var db = session.Database;
        return session.ExecuteAsync(
            "UPDATE inbox_state SET receive_count = @r, consumed_at = @co, delivered_at = @de, last_sequence_number = @s WHERE message_id = @m AND consumer_id = @c",
            cancellationToken,
            ("r", ReceiveCount),
            ("co", ConsumedAt is { } c ? db.Time(c) : null),
            ("de", DeliveredAt is { } d ? db.Time(d) : null),
            ("s", LastSequenceNumber),
            ("m", db.Id(MessageId)),
            ("c", db.Id(ConsumerId)));
    }
}

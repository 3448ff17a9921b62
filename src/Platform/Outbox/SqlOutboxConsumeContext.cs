using BacBos.Platform.Data;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;

namespace BacBos.Platform.Outbox;

/// <summary>
/// The consume context inside the SQL outbox: publishes and sends become <c>outbox_message</c> rows in the message's
/// transaction, and the inbox row (<c>inbox_state</c>) tracks consumed / delivered / last delivered sequence number.
/// </summary>
internal sealed class SqlOutboxConsumeContext<TMessage> : OutboxConsumeContextProxy<TMessage>
    where TMessage : class
{
    private readonly DbSession _session;
    private readonly InboxRow _inbox;

    public SqlOutboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider, DbSession session, InboxRow inbox)
        : base(context, options, provider)
    {
        _session = session;
        _inbox = inbox;
    }

    public override Guid? MessageId => _inbox.MessageId;

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => _inbox.ConsumedAt.HasValue;

    public override bool IsOutboxDelivered => _inbox.DeliveredAt.HasValue;

    public override int ReceiveCount => _inbox.ReceiveCount;

    public override long? LastSequenceNumber => _inbox.LastSequenceNumber;

    public override async Task SetConsumed()
    {
        _inbox.ConsumedAt = DateTimeOffset.UtcNow;
        await _inbox.SaveAsync(_session, CancellationToken);
    }

    public override async Task SetDelivered()
    {
        _inbox.DeliveredAt = DateTimeOffset.UtcNow;
        await _inbox.SaveAsync(_session, CancellationToken);
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        var db = _session.Database;
        await using var command = _session.Command(
            $"SELECT {StoredOutboxMessage.Columns} FROM outbox_message WHERE inbox_message_id = @m AND inbox_consumer_id = @c AND sequence_number > @s " +
            $"ORDER BY sequence_number LIMIT {Options.MessageDeliveryLimit + 1}",
            ("m", db.Id(_inbox.MessageId)),
            ("c", db.Id(_inbox.ConsumerId)),
            ("s", _inbox.LastSequenceNumber ?? 0));
        var messages = new List<OutboxMessageContext>();
        await using var reader = await command.ExecuteReaderAsync(CancellationToken);
        while (await reader.ReadAsync(CancellationToken))
        {
            messages.Add(StoredOutboxMessage.Read(reader, SerializerContext));
        }

        return messages;
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        _inbox.LastSequenceNumber = message.SequenceNumber;
        return _inbox.SaveAsync(_session, CancellationToken);
    }

    public override Task RemoveOutboxMessages() =>
        _session.ExecuteAsync(
            "DELETE FROM outbox_message WHERE inbox_message_id = @m AND inbox_consumer_id = @c",
            CancellationToken,
            ("m", _session.Database.Id(_inbox.MessageId)),
            ("c", _session.Database.Id(_inbox.ConsumerId)));

    public override Task AddSend<T>(SendContext<T> context) =>
        StoredOutboxMessage.InsertAsync(_session, context, SerializerContext, _inbox.MessageId, _inbox.ConsumerId, outboxId: null);
}

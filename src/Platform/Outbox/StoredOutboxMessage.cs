using System.Data.Common;
using BacBos.Platform.Data;
using MassTransit;
using MassTransit.Context;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace BacBos.Platform.Outbox;

/// <summary>One row of <c>outbox_message</c>, in the shape MassTransit's <c>OutboxMessageSendPipe</c> replays.</summary>
internal sealed class StoredOutboxMessage : OutboxMessageContext
{
    private Headers _headers = EmptyHeaders.Instance;
    private IReadOnlyDictionary<string, object> _properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    public const string Columns =
        "sequence_number, message_id, content_type, message_type, body, headers, properties, conversation_id, correlation_id, initiator_id, " +
        "request_id, source_address, destination_address, response_address, fault_address, sent_time, expiration_time";

    public long SequenceNumber { get; private init; }

    public Guid MessageId { get; private init; }

    public string ContentType { get; private init; } = null!;

    public string MessageType { get; private init; } = null!;

    public string Body { get; private init; } = null!;

    public Guid? ConversationId { get; private init; }

    public Guid? CorrelationId { get; private init; }

    public Guid? InitiatorId { get; private init; }

    public Guid? RequestId { get; private init; }

    public Uri? SourceAddress { get; private init; }

    public Uri? DestinationAddress { get; private init; }

    public Uri? ResponseAddress { get; private init; }

    public Uri? FaultAddress { get; private init; }

    public DateTime? ExpirationTime { get; private init; }

    public DateTime SentTime { get; private init; }

    Guid? MessageContext.MessageId => MessageId;

    DateTime? MessageContext.SentTime => SentTime;

    Headers MessageContext.Headers => _headers;

    HostInfo MessageContext.Host => HostMetadataCache.Host;

    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties;

    public static StoredOutboxMessage Read(DbDataReader r, IObjectDeserializer deserializer)
    {
        static Guid? G(DbDataReader r, int i) => r.IsDBNull(i) ? null : Database.ReadId(r, i);
        static Uri? U(DbDataReader r, int i) => r.IsDBNull(i) ? null : new Uri(r.GetString(i));
        var message = new StoredOutboxMessage
        {
            SequenceNumber = r.GetInt64(0),
            MessageId = Database.ReadId(r, 1),
            ContentType = r.GetString(2),
            MessageType = r.GetString(3),
            Body = r.GetString(4),
            ConversationId = G(r, 7),
            CorrelationId = G(r, 8),
            InitiatorId = G(r, 9),
            RequestId = G(r, 10),
            SourceAddress = U(r, 11),
            DestinationAddress = U(r, 12),
            ResponseAddress = U(r, 13),
            FaultAddress = U(r, 14),
            SentTime = Database.ReadTime(r, 15).UtcDateTime,
            ExpirationTime = r.IsDBNull(16) ? null : Database.ReadTime(r, 16).UtcDateTime,
        };
        if (!r.IsDBNull(5) && deserializer.DeserializeObject<Dictionary<string, object?>>(r.GetString(5)) is { Count: > 0 } headers)
        {
            message._headers = new DictionarySendHeaders(headers!);
        }

        if (!r.IsDBNull(6) && deserializer.DeserializeObject<Dictionary<string, object>>(r.GetString(6)) is { } properties)
        {
            message._properties = properties;
        }

        return message;
    }

    /// <summary>Inserts a send captured by the outbox into <c>outbox_message</c>, in the caller's transaction.</summary>
    public static async Task InsertAsync<T>(DbSession session, SendContext<T> context, IObjectDeserializer serializer, Guid? inboxMessageId, Guid? inboxConsumerId, Guid? outboxId)
        where T : class
    {
        if (context.MessageId is not { } messageId)
        {
            throw new MessageException(typeof(T), "The outbox needs a MessageId on every send");
        }

        var db = session.Database;
        var now = DateTimeOffset.UtcNow;
        string? properties = null;
        if (context is TransportSendContext<T> transport)
        {
            var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transport.WritePropertiesTo(values);
            properties = serializer.SerializeDictionary(values);
        }

        object? Id(Guid? g) => g is { } v ? db.Id(v) : null;
        await session.ExecuteAsync(
            "INSERT INTO outbox_message (inbox_message_id, inbox_consumer_id, outbox_id, message_id, content_type, message_type, body, headers, properties, " +
            "conversation_id, correlation_id, initiator_id, request_id, source_address, destination_address, response_address, fault_address, sent_time, enqueue_time, expiration_time) " +
            "VALUES (@im, @ic, @o, @m, @ct, @mt, @b, @h, @p, @cv, @co, @in, @rq, @sa, @da, @ra, @fa, @st, @et, @xt)",
            context.CancellationToken,
            ("im", Id(inboxMessageId)),
            ("ic", Id(inboxConsumerId)),
            ("o", Id(outboxId)),
            ("m", db.Id(messageId)),
            ("ct", context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString()),
            ("mt", string.Join(';', context.SupportedMessageTypes)),
            ("b", context.Serializer.GetMessageBody(context).GetString()),
            ("h", serializer.SerializeDictionary(context.Headers.GetAll())),
            ("p", properties),
            ("cv", Id(context.ConversationId)),
            ("co", Id(context.CorrelationId)),
            ("in", Id(context.InitiatorId)),
            ("rq", Id(context.RequestId)),
            ("sa", context.SourceAddress?.ToString()),
            ("da", context.DestinationAddress?.ToString()),
            ("ra", context.ResponseAddress?.ToString()),
            ("fa", context.FaultAddress?.ToString()),
            ("st", db.Time(context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : now)),
            ("et", context.Delay is { } delay ? db.Time(now + delay) : null),
            ("xt", context.TimeToLive is { } ttl ? db.Time(now + ttl) : null));
    }
}

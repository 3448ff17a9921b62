using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using Quartz;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// What a trigger stores about the message it will send (Quartz job data, strings only): the payload serialized the
/// way the scheduling command arrived, its destination, its ids and addresses, and its headers. Written by
/// <see cref="ScheduleMessageConsumer"/>, read back into a <see cref="StoredScheduledMessage"/> by <see cref="ScheduledMessageJob"/>.
/// </summary>
public static class ScheduledMessageData
{
    public const string Destination = "Destination";
    public const string Body = "Body";
    public const string ContentType = "ContentType";
    public const string MessageType = "MessageType";
    public const string MessageId = "MessageId";
    public const string RequestId = "RequestId";
    public const string CorrelationId = "CorrelationId";
    public const string ConversationId = "ConversationId";
    public const string InitiatorId = "InitiatorId";
    public const string SourceAddress = "SourceAddress";
    public const string ResponseAddress = "ResponseAddress";
    public const string FaultAddress = "FaultAddress";
    public const string ExpirationTime = "ExpirationTime";
    public const string TokenId = "TokenId";
    public const string Headers = "Headers";

    /// <summary>Present (value <c>"true"</c>) on recurring schedules: every occurrence is a new message with its own MessageId.</summary>
    public const string Recurring = "Recurring";

    /// <summary>
    /// Headers not copied as headers: they travel as typed fields (ids, addresses, content and message type) or are
    /// set fresh by the scheduler on every send (token, Quartz fire times).
    /// </summary>
    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        MessageHeaders.MessageId,
        MessageHeaders.RequestId,
        MessageHeaders.CorrelationId,
        MessageHeaders.ConversationId,
        MessageHeaders.InitiatorId,
        MessageHeaders.SourceAddress,
        MessageHeaders.ResponseAddress,
        MessageHeaders.FaultAddress,
        MessageHeaders.MessageType,
        MessageHeaders.ContentType,
        MessageHeaders.TransportMessageId,
        MessageHeaders.TransportSentTime,
        MessageHeaders.SchedulingTokenId,
        MessageHeaders.QuartzTriggerKey,
        MessageHeaders.Quartz.Scheduled,
        MessageHeaders.Quartz.Sent,
        MessageHeaders.Quartz.NextScheduled,
        MessageHeaders.Quartz.PreviousSent,
        MessageHeaders.Quartz.ScheduleId,
        MessageHeaders.Quartz.ScheduleGroup,
    };

    /// <summary>
    /// Job data for one scheduled message. The payload is serialized with the serializer of the received command
    /// (same content type, message types = <paramref name="payloadType"/>); ids, addresses, expiration and headers
    /// come from the command's own envelope, which MassTransit fills from the scheduled message's send context.
    /// </summary>
    public static JobDataMap Capture<TCommand>(
        ConsumeContext<TCommand> context,
        object payload,
        string[] payloadType,
        Uri destination,
        Guid tokenId,
        bool recurring)
        where TCommand : class
    {
        var body = context.SerializerContext
            .GetMessageSerializer(payload, payloadType)
            .GetMessageBody(new MessageSendContext<TCommand>(context.Message, context.CancellationToken))
            .GetString();

        var data = new JobDataMap
        {
            [Destination] = destination.ToString(),
            [Body] = body,
            [ContentType] = context.ReceiveContext.ContentType?.ToString() ?? "application/vnd.masstransit+json",
            [MessageType] = string.Join(';', payloadType),
            [TokenId] = tokenId.ToString("D"),
        };

        if (recurring)
        {
            data[Recurring] = "true";
        }
        else if (context.MessageId is { } messageId)
        {
            data[MessageId] = messageId.ToString("D");
        }

        Put(data, RequestId, context.RequestId);
        Put(data, CorrelationId, context.CorrelationId);
        Put(data, ConversationId, context.ConversationId);
        Put(data, InitiatorId, context.InitiatorId);
        Put(data, SourceAddress, context.SourceAddress);
        Put(data, ResponseAddress, context.ResponseAddress);
        Put(data, FaultAddress, context.FaultAddress);
        if (context.ExpirationTime is { } expiration)
        {
            data[ExpirationTime] = ToUtc(expiration).ToString("O", CultureInfo.InvariantCulture);
        }

        var headers = WriteHeaders(context.Headers.GetAll());
        if (headers is not null)
        {
            data[Headers] = headers;
        }

        return data;
    }

    /// <summary>A string value of the merged job data, or null.</summary>
    public static string? GetString(JobDataMap data, string key) =>
        data.TryGetValue(key, out var value) && value is string text && text.Length > 0 ? text : null;

    public static Guid? GetGuid(JobDataMap data, string key) =>
        GetString(data, key) is { } text ? Guid.Parse(text, CultureInfo.InvariantCulture) : null;

    public static Uri? GetUri(JobDataMap data, string key) =>
        GetString(data, key) is { } text ? new Uri(text, UriKind.RelativeOrAbsolute) : null;

    public static DateTime? GetTime(JobDataMap data, string key) =>
        GetString(data, key) is { } text
            ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    /// <summary>The stored headers as primitive values (strings, integers, doubles, booleans; structured values as JSON text).</summary>
    public static Dictionary<string, object> ReadHeaders(string? json)
    {
        var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(json))
        {
            return headers;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            object? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.TryGetInt64(out var whole) ? whole : property.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => property.Value.GetRawText(),
            };
            if (value is not null)
            {
                headers[property.Name] = value;
            }
        }

        return headers;
    }

    /// <summary>The DateTime in UTC (an unspecified kind is taken as UTC, as MassTransit sends it).</summary>
    public static DateTime ToUtc(DateTime value) =>
        value.Kind switch
        {
            DateTimeKind.Utc => value,
            DateTimeKind.Local => value.ToUniversalTime(),
            _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        };

    private static void Put(JobDataMap data, string key, Guid? value)
    {
        if (value is { } id)
        {
            data[key] = id.ToString("D");
        }
    }

    private static void Put(JobDataMap data, string key, Uri? value)
    {
        if (value is not null)
        {
            data[key] = value.ToString();
        }
    }

    private static string? WriteHeaders(IEnumerable<KeyValuePair<string, object>> headers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var count = 0;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in headers)
            {
                if (value is null || NotCopied.Contains(key))
                {
                    continue;
                }

                writer.WritePropertyName(key);
                WriteValue(writer, value);
                count++;
            }

            writer.WriteEndObject();
        }

        return count == 0 ? null : Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong or float or double or decimal:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case Guid id:
                writer.WriteStringValue(id.ToString("D"));
                break;
            case DateTime time:
                writer.WriteStringValue(ToUtc(time).ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case TimeSpan span:
                writer.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                break;
            case Uri uri:
                writer.WriteStringValue(uri.ToString());
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}

using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace BacBos.Consumers.Crm.Kafka;

/// <summary>
/// Header names on BacBos's Kafka records. Values are UTF-8 text: ids as lowercase hyphenated GUIDs, numbers in
/// invariant decimal notation.
/// </summary>
public static class CrmKafkaHeaders
{
    /// <summary>The event's <c>EventId</c>: the same on every copy of one event, what consumers deduplicate on.</summary>
    public const string MessageId = "message_id";

    /// <summary>The bus message's CorrelationId, else its ConversationId, else the aggregate id.</summary>
    public const string CorrelationId = "correlation_id";

    public const string TenantId = "tenant_id";

    /// <summary><c>lead.created</c>, <c>opportunity.won</c>, … (also the value's <c>event_type</c> member).</summary>
    public const string EventType = "event_type";

    /// <summary>The event's position in its aggregate's history (1, 2, 3, … without gaps).</summary>
    public const string Sequence = "sequence";

    public const string ContentType = "content_type";

    /// <summary>Dead-letter records: why the record was rejected (a sentence naming the field).</summary>
    public const string DeadLetterReason = "dlq_reason";

    /// <summary>Dead-letter records: <c>empty</c>, <c>invalid_json</c>, <c>not_an_object</c>, <c>missing_field</c>, <c>wrong_type</c>, <c>invalid_value</c>.</summary>
    public const string DeadLetterCode = "dlq_code";

    /// <summary>Dead-letter records: <c>{topic}/{partition}/{offset}</c> of the rejected record.</summary>
    public const string DeadLetterSource = "dlq_source";

    public static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    public static void Add(Headers headers, string name, Guid value) => Add(headers, name, value.ToString("D"));

    public static void Add(Headers headers, string name, long value) => Add(headers, name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The last value of header <paramref name="name"/> as text, or null.</summary>
    public static string? Text(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) && bytes is not null ? Encoding.UTF8.GetString(bytes) : null;
}

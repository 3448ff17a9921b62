using System.Text;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Crm.Kafka.Bridge;
using Confluent.Kafka;

namespace BacBos.Consumers.Payments.Kafka;

/// <summary>A payment contract as a Kafka record: key = payment id, value = flat snake_case JSON with <c>event_type</c> first, the bridge's headers.</summary>
internal static class PaymentKafkaRecord
{
    public static Message<byte[]?, byte[]?> Create(object e, string eventType, Guid messageId, Guid tenantId, Guid paymentId, DateTimeOffset at)
    {
        var headers = new Confluent.Kafka.Headers();
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.MessageId, messageId);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.CorrelationId, paymentId);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.TenantId, tenantId);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.EventType, eventType);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.ContentType, "application/json");
        return new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(paymentId.ToString("D")),
            Value = CrmEventJson.Serialize(e, eventType),
            Headers = headers,
            Timestamp = new Timestamp(at.UtcDateTime, TimestampType.CreateTime),
        };
    }
}

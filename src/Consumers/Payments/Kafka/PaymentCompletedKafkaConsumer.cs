using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Crm.Kafka.Bridge;
using BacBos.Consumers.Payments.Consumers;
using BacBos.Contracts.Payments;
using Confluent.Kafka;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Payments.Kafka;

/// <summary>
/// Puts every <see cref="PaymentCompleted"/> on Kafka topic <c>nexus.finance.payments.completed</c> through the CRM's
/// producer (idempotent, acks=all): key = payment id (one partition per payment), value = the contract as flat
/// snake_case JSON with <c>event_type</c> <c>payment.completed</c> first, headers <c>message_id</c> (derived from the
/// payment, the same on every copy: consumers deduplicate on it), <c>correlation_id</c>, <c>tenant_id</c>,
/// <c>event_type</c>, <c>content_type</c>. At least once: a redelivery may produce the record again.
/// </summary>
public sealed class PaymentCompletedKafkaConsumer(CrmKafkaProducer producer, ILogger<PaymentCompletedKafkaConsumer> logger) : IConsumer<PaymentCompleted>
{
    public const string Topic = "nexus.finance.payments.completed";
    public const string EventType = "payment.completed";

    public async Task Consume(ConsumeContext<PaymentCompleted> context)
    {
        var result = await producer.ProduceAsync(Topic, Record(context.Message), context.CancellationToken);
        logger.LogInformation("Payment {PaymentId} of tenant {TenantId} produced to {KafkaTopicPartitionOffset}", context.Message.PaymentId, context.Message.TenantId, result.TopicPartitionOffset);
    }

    public static Guid MessageId(Guid paymentId) => PaymentMessageIds.For("completed", paymentId);

    public static Message<byte[]?, byte[]?> Record(PaymentCompleted completed) =>
        PaymentKafkaRecord.Create(completed, EventType, MessageId(completed.PaymentId), completed.TenantId, completed.PaymentId, completed.CompletedAt);
}

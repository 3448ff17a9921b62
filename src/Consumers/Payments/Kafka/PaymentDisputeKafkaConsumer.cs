using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Payments.Consumers;
using BacBos.Contracts.Payments;
using Confluent.Kafka;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Payments.Kafka;

/// <summary>
/// Puts <see cref="PaymentDisputed"/> on <c>nexus.finance.payments.disputed</c> and <see cref="PaymentDisputeClosed"/> on
/// <c>nexus.finance.payments.dispute_closed</c> through the CRM's producer, as <see cref="PaymentCompletedKafkaConsumer"/>
/// does for completed payments: key = payment id, value = the contract as flat snake_case JSON with <c>event_type</c>
/// (<c>payment.disputed</c> / <c>payment.dispute_closed</c>), headers with a message id derived from the dispute (the same
/// on every copy). At least once.
/// </summary>
public sealed class PaymentDisputeKafkaConsumer(CrmKafkaProducer producer, ILogger<PaymentDisputeKafkaConsumer> logger)
    : IConsumer<PaymentDisputed>, IConsumer<PaymentDisputeClosed>
{
    public const string DisputedTopic = "nexus.finance.payments.disputed";
    public const string DisputedEventType = "payment.disputed";
    public const string ClosedTopic = "nexus.finance.payments.dispute_closed";
    public const string ClosedEventType = "payment.dispute_closed";

    public Task Consume(ConsumeContext<PaymentDisputed> context) =>
        ProduceAsync(DisputedTopic, Record(context.Message), context.Message.DisputeId, context.CancellationToken);

    public Task Consume(ConsumeContext<PaymentDisputeClosed> context) =>
        ProduceAsync(ClosedTopic, Record(context.Message), context.Message.DisputeId, context.CancellationToken);

    /// <summary>The id every copy of the dispute's record carries (<c>disputed</c> or <c>dispute-closed</c>).</summary>
    public static Guid MessageId(string kind, Guid paymentId, string disputeId) => PaymentMessageIds.For($"kafka-{kind}", paymentId, disputeId);

    public static Message<byte[]?, byte[]?> Record(PaymentDisputed e) =>
        PaymentKafkaRecord.Create(e, DisputedEventType, MessageId("disputed", e.PaymentId, e.DisputeId), e.TenantId, e.PaymentId, e.DisputedAt);

    public static Message<byte[]?, byte[]?> Record(PaymentDisputeClosed e) =>
        PaymentKafkaRecord.Create(e, ClosedEventType, MessageId("dispute-closed", e.PaymentId, e.DisputeId), e.TenantId, e.PaymentId, e.ClosedAt);

    private async Task ProduceAsync(string topic, Message<byte[]?, byte[]?> record, string disputeId, CancellationToken cancellationToken)
    {
        var result = await producer.ProduceAsync(topic, record, cancellationToken);
        logger.LogInformation("Dispute {DisputeId} produced to {KafkaTopicPartitionOffset}", disputeId, result.TopicPartitionOffset);
    }
}

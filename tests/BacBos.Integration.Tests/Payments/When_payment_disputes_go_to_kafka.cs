using System.Text.Json;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Payments.Kafka;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Crm.Kafka;
using MassTransit.Testing;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// <c>nexus.finance.payments.disputed</c> and <c>nexus.finance.payments.dispute_closed</c> through the CRM's Kafka producer
/// (librdkafka's mock cluster): keyed by payment, the contract as snake_case JSON, a message id derived from the dispute.
/// </summary>
public sealed class When_payment_disputes_go_to_kafka
{
    [Fact]
    public async Task A_dispute_and_its_close_should_be_records_keyed_by_the_payment_with_stable_message_ids()
    {
        using var cluster = KafkaMockCluster.Start();
        var (provider, harness) = await PaymentKafkaHarness.StartAsync<PaymentDisputeKafkaConsumer>(cluster);
        await using var _ = provider;
        var (tenant, payment) = (Guid.NewGuid(), Guid.NewGuid());
        var opened = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var disputed = new PaymentDisputed(tenant, payment, "dp_kafka_1", "stripe", 2599, "USD", "fraudulent", "needs_response", opened.AddDays(7), opened);
        var closed = new PaymentDisputeClosed(tenant, payment, "dp_kafka_1", "stripe", 2599, "USD", "fraudulent", "lost", true, false, opened.AddDays(20));

        // The dispute published twice, as a redelivery would: two records, one message id.
        await harness.Bus.Publish(disputed);
        await harness.Bus.Publish(disputed);
        await harness.Bus.Publish(closed);

        var opens = cluster.ReadAll(PaymentDisputeKafkaConsumer.DisputedTopic, 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, opens.Count);
        Assert.All(opens, r =>
        {
            Assert.Equal(payment.ToString("D"), r.Key);
            Assert.Equal(PaymentDisputeKafkaConsumer.MessageId("disputed", payment, "dp_kafka_1").ToString("D"), r.Header(CrmKafkaHeaders.MessageId));
            Assert.Equal((tenant.ToString("D"), "payment.disputed"), (r.Header(CrmKafkaHeaders.TenantId), r.Header(CrmKafkaHeaders.EventType)));
        });
        var open = JsonDocument.Parse(opens[0].Value!).RootElement;
        Assert.Equal(("payment.disputed", "dp_kafka_1", 2599L, "needs_response"), (open.GetProperty("event_type").GetString(), open.GetProperty("dispute_id").GetString(), open.GetProperty("amount_minor").GetInt64(), open.GetProperty("status").GetString()));

        var close = Assert.Single(cluster.ReadAll(PaymentDisputeKafkaConsumer.ClosedTopic, 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(payment.ToString("D"), close.Key);
        Assert.Equal(PaymentDisputeKafkaConsumer.MessageId("dispute-closed", payment, "dp_kafka_1").ToString("D"), close.Header(CrmKafkaHeaders.MessageId));
        var value = JsonDocument.Parse(close.Value!).RootElement;
        Assert.Equal(("payment.dispute_closed", "lost", true), (value.GetProperty("event_type").GetString(), value.GetProperty("status").GetString(), value.GetProperty("funds_withdrawn").GetBoolean()));
        await harness.Stop();
    }
}

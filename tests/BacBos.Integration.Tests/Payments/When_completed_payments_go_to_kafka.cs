using System.Text.Json;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Payments.Kafka;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Crm.Kafka;
using MassTransit.Testing;

namespace BacBos.Integration.Tests.Payments;

/// <summary>
/// <c>nexus.finance.payments.completed</c> through the CRM's Kafka producer (librdkafka's mock cluster): keyed by
/// payment, the contract as snake_case JSON, headers with a message id that is the same on every copy.
/// </summary>
public sealed class When_completed_payments_go_to_kafka
{
    [Fact]
    public async Task Each_completed_payment_should_be_a_record_keyed_by_the_payment_with_a_stable_message_id()
    {
        using var cluster = KafkaMockCluster.Start();
        var (provider, harness) = await PaymentKafkaHarness.StartAsync<PaymentCompletedKafkaConsumer>(cluster);
        await using var _ = provider;
        var completed = new PaymentCompleted(
            Guid.NewGuid(), Guid.NewGuid(), "paystack", "ref-1", 1_250_000, "NGN", "EUR", 1000, 1250m, "Veg box", null, "Ada", "ada@example.com", null, null,
            new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        // Published twice, as a redelivery would: at least once on Kafka, one message id to deduplicate on.
        await harness.Bus.Publish(completed);
        await harness.Bus.Publish(completed);

        var records = cluster.ReadAll(PaymentCompletedKafkaConsumer.Topic, 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(completed.PaymentId.ToString("D"), r.Key);
            Assert.Equal(PaymentCompletedKafkaConsumer.MessageId(completed.PaymentId).ToString("D"), r.Header(CrmKafkaHeaders.MessageId));
            Assert.Equal(completed.TenantId.ToString("D"), r.Header(CrmKafkaHeaders.TenantId));
            Assert.Equal("payment.completed", r.Header(CrmKafkaHeaders.EventType));
        });
        var value = JsonDocument.Parse(records[0].Value!).RootElement;
        Assert.Equal("payment.completed", value.GetProperty("event_type").GetString());
        Assert.Equal(1_250_000, value.GetProperty("amount_minor").GetInt64());
        Assert.Equal("EUR", value.GetProperty("requested_currency").GetString());
        Assert.Equal(1250m, value.GetProperty("fx_rate").GetDecimal());
        await harness.Stop();
    }
}

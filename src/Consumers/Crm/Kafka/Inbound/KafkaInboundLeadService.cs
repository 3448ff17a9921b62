using System.Globalization;
using BacBos.Contracts.Crm;
using BacBos.Platform.Messaging;
using Confluent.Kafka;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Kafka.Inbound;

/// <summary>
/// Reads plain-JSON lead records from <c>Crm:Kafka:InboundTopic</c> (consumer group <c>Crm:Kafka:InboundGroupId</c>) one
/// at a time: a record that passes <see cref="InboundLeadRecord"/>'s shape checks is published as
/// <see cref="SubmitInboundLead"/> (channel <c>kafka</c>) with the message id <see cref="InboundMessageIds.For"/>; any
/// other record is produced to the dead-letter topic with its original key, headers and value plus <c>dlq_reason</c>,
/// <c>dlq_code</c> and <c>dlq_source</c>. The offset is committed only after the publish (broker-confirmed) or the
/// dead-letter produce (Kafka-acknowledged) completed: at least once, and a record read again yields the same message id,
/// which the consumer's inbox drops. A failing publish is retried with back-off and blocks the partition rather than
/// skipping the record. Stopping abandons the record in hand without committing it.
/// </summary>
public sealed class KafkaInboundLeadService(
    CrmKafkaOptions options,
    IBus bus,
    BusOptions busOptions,
    BusStartedSignal busStarted,
    CrmKafkaProducer producer,
    IHostApplicationLifetime lifetime,
    ILogger<KafkaInboundLeadService> logger) : BackgroundService
{
    /// <summary><see cref="SubmitInboundLead.Channel"/> of leads from Kafka.</summary>
    public const string Channel = "kafka";

    /// <summary>Bus header on the published <c>SubmitInboundLead</c>: <c>{topic}/{partition}/{offset}</c> of its record.</summary>
    public const string SourceHeader = "BacBos-Kafka-Source";

    /// <summary>Consumer configuration: ours, then <see cref="CrmKafkaOptions.Settings"/> and <see cref="CrmKafkaOptions.ConsumerSettings"/>, then manual commits.</summary>
    public static ConsumerConfig Config(CrmKafkaOptions options)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.InboundGroupId,
            ClientId = $"bacbos-crm-inbound-{Environment.MachineName}",
            AutoOffsetReset = options.InboundAutoOffsetReset == "latest" ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        foreach (var (key, value) in options.Settings.Concat(options.ConsumerSettings))
        {
            config.Set(key, value);
        }

        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        return config;
    }

    /// <summary>
    /// Reads on a thread of its own (librdkafka's <c>Consume</c> blocks). Stops as soon as the application begins to stop
    /// — before the bus does, so a record is never half-handled by a stopping bus.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        await Task.Factory.StartNew(() => RunAsync(stopping.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await busStarted.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReadAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A fatal consumer error: a new consumer rejoins the group and reads from the last committed offsets.
                    logger.LogError(ex, "The inbound lead consumer of {KafkaTopic} failed; starting a new one in 5 s", options.InboundTopic);
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the record in hand (if any) is not committed and is read again after the restart.
        }
    }

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(Config(options))
            .SetErrorHandler((_, error) => logger.Log(
                error.IsFatal ? LogLevel.Error : LogLevel.Warning, "Kafka consumer error {KafkaError}: {KafkaReason}", error.Code, error.Reason))
            .SetLogHandler((_, message) => logger.Log(
                message.Level <= SyslogLevel.Warning ? LogLevel.Warning : LogLevel.Debug, "librdkafka {KafkaFacility}: {KafkaMessage}", message.Facility, message.Message))
            .Build();
        consumer.Subscribe(options.InboundTopic);
        logger.LogInformation("Reading inbound leads from {KafkaTopic} as group {KafkaGroup}; rejects go to {DeadLetterTopic}",
            options.InboundTopic, options.InboundGroupId, options.EffectiveDeadLetterTopic);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<byte[]?, byte[]?> record;
                try
                {
                    record = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    logger.LogWarning(ex, "Reading {KafkaTopic} failed ({KafkaError}); reading on", options.InboundTopic, ex.Error.Code);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }

                if (record?.Message is null)
                {
                    continue;
                }

                await HandleUntilDoneAsync(record, stoppingToken);
                try
                {
                    consumer.Commit(record);
                }
                catch (KafkaException ex) when (!ex.Error.IsFatal)
                {
                    // Typically a rebalance took the partition away: its new owner reads the record again, same message id.
                    logger.LogWarning(ex, "Committing {KafkaTopicPartitionOffset} failed ({KafkaError}); the record will be read again", record.TopicPartitionOffset, ex.Error.Code);
                }
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>Publishes or dead-letters <paramref name="record"/>, retrying with back-off (1 s doubling to 30 s) until done or stopped.</summary>
    private async Task HandleUntilDoneAsync(ConsumeResult<byte[]?, byte[]?> record, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await HandleAsync(record, stoppingToken).WaitAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(attempt - 1, 5))));
                logger.LogWarning(ex, "Handling inbound record {KafkaTopicPartitionOffset} failed (attempt {Attempt}); trying again in {Delay}",
                    record.TopicPartitionOffset, attempt, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private async Task HandleAsync(ConsumeResult<byte[]?, byte[]?> record, CancellationToken cancellationToken)
    {
        var parsed = InboundLeadRecord.Parse(record.Message.Value);
        if (parsed.Lead is not { } lead)
        {
            await DeadLetterAsync(record, parsed.Code!, parsed.Reason!, cancellationToken);
            return;
        }

        var timestamp = record.Message.Timestamp;
        var messageId = InboundMessageIds.For(record.Topic, record.Partition.Value, record.Offset.Value, timestamp.UnixTimestampMs);
        var correlation = CrmKafkaHeaders.Text(record.Message.Headers, CrmKafkaHeaders.CorrelationId);
        var conversationId = Guid.TryParse(correlation, out var fromProducer) && fromProducer != Guid.Empty ? fromProducer : messageId;
        var receivedAt = timestamp.Type == TimestampType.NotAvailable ? DateTimeOffset.UtcNow : new DateTimeOffset(timestamp.UtcDateTime);
        using var send = BoundedSend.Within(busOptions.SendTimeout, cancellationToken);
        await bus.Publish(
            new SubmitInboundLead(lead.TenantId, lead.ClientLeadId, Channel, lead.Name, lead.Email, lead.Phone, lead.Company, lead.Source, lead.Priority, lead.Notes, receivedAt),
            context =>
            {
                context.MessageId = messageId;
                context.ConversationId = conversationId;
                context.Headers.Set(SourceHeader, Source(record));
            },
            send.Token);
        CrmKafkaMetrics.Inbound("published");
        logger.LogInformation("Inbound lead {ClientLeadId} of tenant {TenantId} from {KafkaTopicPartitionOffset} published as {MessageId}",
            lead.ClientLeadId, lead.TenantId, record.TopicPartitionOffset, messageId);
    }

    private async Task DeadLetterAsync(ConsumeResult<byte[]?, byte[]?> record, string code, string reason, CancellationToken cancellationToken)
    {
        var headers = new Confluent.Kafka.Headers();
        foreach (var header in record.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.DeadLetterReason, reason);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.DeadLetterCode, code);
        CrmKafkaHeaders.Add(headers, CrmKafkaHeaders.DeadLetterSource, Source(record));
        var result = await producer.ProduceAsync(
            options.EffectiveDeadLetterTopic,
            new Message<byte[]?, byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers },
            cancellationToken);
        CrmKafkaMetrics.Inbound("dead_lettered");
        logger.LogWarning("Inbound record {KafkaTopicPartitionOffset} rejected ({DeadLetterCode}: {DeadLetterReason}); dead-lettered to {DeadLetterTopicPartitionOffset}",
            record.TopicPartitionOffset, code, reason, result.TopicPartitionOffset);
    }

    private static string Source(ConsumeResult<byte[]?, byte[]?> record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.Topic}/{record.Partition.Value}/{record.Offset.Value}");
}

using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Kafka;

/// <summary>
/// The process's one Kafka producer (bridge records and inbound dead letters): idempotent (<c>enable.idempotence</c>,
/// <c>acks=all</c>, so librdkafka's own retries never duplicate or reorder a partition's records within a session),
/// keys hashed with murmur2 like the Java client (a key lands on the same partition whichever client produced it).
/// A fatal producer error (e.g. the idempotence state is lost) disposes it; the next produce builds a new one.
/// </summary>
public sealed class CrmKafkaProducer(CrmKafkaOptions options, ILogger<CrmKafkaProducer> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private IProducer<byte[]?, byte[]?>? _producer;
    private bool _disposed;

    /// <summary>Produces one record and waits for the broker's acknowledgement (all in-sync replicas).</summary>
    public async Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(string topic, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken)
    {
        var producer = Current();
        try
        {
            return await producer.ProduceAsync(topic, message, cancellationToken);
        }
        catch (KafkaException ex) when (ex.Error.IsFatal)
        {
            logger.LogError(ex, "Fatal Kafka producer error {KafkaError}; the producer is rebuilt for the next record", ex.Error.Code);
            Replace(producer);
            throw;
        }
    }

    /// <summary>The producer configuration: ours, then <see cref="CrmKafkaOptions.Settings"/>, then the guarantees.</summary>
    public static ProducerConfig Config(CrmKafkaOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = $"bacbos-crm-{Environment.MachineName}",
            Partitioner = Partitioner.Murmur2Random,
            MessageTimeoutMs = (int)options.ProduceTimeout.TotalMilliseconds,
            LingerMs = 5,
        };
        foreach (var (key, value) in options.Settings)
        {
            config.Set(key, value);
        }

        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        return config;
    }

    private IProducer<byte[]?, byte[]?> Current()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _producer ??= new ProducerBuilder<byte[]?, byte[]?>(Config(options))
                .SetErrorHandler((_, error) => logger.Log(
                    error.IsFatal ? LogLevel.Error : LogLevel.Warning,
                    "Kafka producer error {KafkaError}: {KafkaReason}", error.Code, error.Reason))
                .SetLogHandler((_, message) => logger.Log(
                    message.Level <= SyslogLevel.Warning ? LogLevel.Warning : LogLevel.Debug,
                    "librdkafka {KafkaFacility}: {KafkaMessage}", message.Facility, message.Message))
                .Build();
        }
    }

    private void Replace(IProducer<byte[]?, byte[]?> broken)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_producer, broken))
            {
                _producer = null;
            }
        }

        broken.Dispose();
    }

    public void Dispose()
    {
        IProducer<byte[]?, byte[]?>? producer;
        lock (_gate)
        {
            _disposed = true;
            producer = _producer;
            _producer = null;
        }

        if (producer is not null)
        {
            // Records not acknowledged yet belong to bus messages that are not acknowledged either: they are redelivered.
            producer.Flush(TimeSpan.FromSeconds(5));
            producer.Dispose();
        }
    }
}

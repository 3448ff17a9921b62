using System.Text;
using Confluent.Kafka;

namespace BacBos.Integration.Tests.Crm.Kafka;

/// <summary>
/// librdkafka's in-process mock cluster (one broker on a loopback port): started by a producer with
/// <c>test.mock.num.brokers=1</c>, which must stay alive as long as the cluster is used; its address is read from the
/// cluster's metadata. Any client of any process can connect to <see cref="BootstrapServers"/>. Topics are created on
/// first use (<c>CreateTopicsAsync</c> does not work against it). Helpers produce test records and read a topic from
/// the beginning.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _owner;

    private KafkaMockCluster(IProducer<byte[]?, byte[]?> owner, string bootstrapServers)
    {
        _owner = owner;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public static KafkaMockCluster Start()
    {
        var config = new ProducerConfig { EnableIdempotence = true, Acks = Acks.All, LingerMs = 0 };
        config.Set("test.mock.num.brokers", "1");
        var owner = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        try
        {
            using var admin = new DependentAdminClientBuilder(owner.Handle).Build();
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            var servers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
            if (servers.Length == 0)
            {
                throw new InvalidOperationException("The librdkafka mock cluster reported no broker.");
            }

            return new KafkaMockCluster(owner, servers);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Produces one record (as another system would) and waits for its acknowledgement.</summary>
    public async Task<TopicPartitionOffset> ProduceAsync(string topic, string? key, byte[]? value, params (string Name, string Value)[] headers)
    {
        var kafkaHeaders = new Headers();
        foreach (var (name, text) in headers)
        {
            kafkaHeaders.Add(name, Encoding.UTF8.GetBytes(text));
        }

        var result = await _owner.ProduceAsync(topic, new Message<byte[]?, byte[]?>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = value,
            Headers = kafkaHeaders,
        });
        return result.TopicPartitionOffset;
    }

    public Task<TopicPartitionOffset> ProduceAsync(string topic, string? key, string value, params (string Name, string Value)[] headers) =>
        ProduceAsync(topic, key, Encoding.UTF8.GetBytes(value), headers);

    /// <summary>
    /// Every record of <paramref name="topic"/> from the beginning of each partition, read until at least
    /// <paramref name="atLeast"/> are there and then until <paramref name="settle"/> passes with nothing new (so a record
    /// that should not be there has time to show up), or until <paramref name="timeout"/>. Ordered by partition, then offset.
    /// </summary>
    public IReadOnlyList<KafkaRecord> ReadAll(string topic, int atLeast, TimeSpan timeout, TimeSpan? settle = null)
    {
        var quiet = settle ?? TimeSpan.FromMilliseconds(500);
        var deadline = DateTime.UtcNow + timeout;
        var partitions = WaitForPartitions(topic, atLeast == 0 ? quiet : timeout);
        var records = new List<KafkaRecord>();
        if (partitions.Count == 0)
        {
            return records;
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        }).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var lastNew = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline && (records.Count < atLeast || DateTime.UtcNow - lastNew < quiet))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message is null)
            {
                continue;
            }

            records.Add(KafkaRecord.From(result));
            lastNew = DateTime.UtcNow;
        }

        consumer.Close();
        return records.OrderBy(r => r.Partition).ThenBy(r => r.Offset).ToList();
    }

    /// <summary>The partitions of <paramref name="topic"/> once it exists, or none when it does not appear in <paramref name="timeout"/>.</summary>
    public IReadOnlyList<Partition> WaitForPartitions(string topic, TimeSpan timeout)
    {
        using var admin = new DependentAdminClientBuilder(_owner.Handle).Build();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
            var found = metadata.Topics.SingleOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0);
            if (found is not null)
            {
                return found.Partitions.Select(p => new Partition(p.PartitionId)).ToList();
            }

            if (DateTime.UtcNow >= deadline)
            {
                return [];
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose() => _owner.Dispose();
}

/// <summary>One record read back: key, value and headers as text.</summary>
public sealed record KafkaRecord(
    string Topic, int Partition, long Offset, long TimestampMs, string? Key, string? Value, IReadOnlyList<(string Name, string Value)> Headers)
{
    public static KafkaRecord From(ConsumeResult<byte[]?, byte[]?> result) => new(
        result.Topic,
        result.Partition.Value,
        result.Offset.Value,
        result.Message.Timestamp.UnixTimestampMs,
        result.Message.Key is null ? null : Encoding.UTF8.GetString(result.Message.Key),
        result.Message.Value is null ? null : Encoding.UTF8.GetString(result.Message.Value),
        (result.Message.Headers ?? []).Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()))).ToList());

    /// <summary>The last value of a header, or null.</summary>
    public string? Header(string name) => Headers.LastOrDefault(h => h.Name == name) is var (n, v) && n is not null ? v : null;

    /// <summary>Every header name, in order.</summary>
    public IReadOnlyList<string> HeaderNames => Headers.Select(h => h.Name).ToList();
}

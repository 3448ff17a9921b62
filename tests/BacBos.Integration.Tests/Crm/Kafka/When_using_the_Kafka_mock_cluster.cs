using System.Text;
using Confluent.Kafka;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Crm.Kafka;

/// <summary>The <see cref="KafkaMockCluster"/> fixture itself: what the Kafka tests rely on.</summary>
public sealed class When_using_the_Kafka_mock_cluster(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_round_trip_keys_values_and_headers_in_partition_order()
    {
        using var cluster = KafkaMockCluster.Start();
        var topic = "it.mock." + Guid.NewGuid().ToString("N");
        for (var i = 1; i <= 5; i++)
        {
            await cluster.ProduceAsync(topic, "same-key", $"{{\"n\":{i}}}", ("h", $"v{i}"));
        }

        var records = cluster.ReadAll(topic, 5, TimeSpan.FromSeconds(20));
        output.WriteLine($"bootstrap {cluster.BootstrapServers}; partitions {string.Join(",", cluster.WaitForPartitions(topic, TimeSpan.FromSeconds(5)))}");

        Assert.Equal(5, records.Count);
        Assert.Single(records.Select(r => r.Partition).Distinct());
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{{\"n\":{i}}}"), records.Select(r => r.Value));
        Assert.All(records, r => Assert.Equal("same-key", r.Key));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"v{i}"), records.Select(r => r.Header("h")));
    }

    [Fact]
    public async Task Should_resume_a_consumer_group_after_its_committed_offset()
    {
        using var cluster = KafkaMockCluster.Start();
        var topic = "it.mock." + Guid.NewGuid().ToString("N");
        var group = "it-group-" + Guid.NewGuid().ToString("N");
        for (var i = 1; i <= 4; i++)
        {
            await cluster.ProduceAsync(topic, "one-key", $"r{i}");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = ConsumeInGroup(cluster, topic, group, 2, commit: true);
        output.WriteLine($"first {clock.Elapsed}");
        var second = ConsumeInGroup(cluster, topic, group, 2, commit: false);
        output.WriteLine($"second {clock.Elapsed}");
        var third = ConsumeInGroup(cluster, topic, group, 2, commit: false);
        output.WriteLine($"third {clock.Elapsed}");

        Assert.Equal(["r1", "r2"], first);
        Assert.Equal(["r3", "r4"], second);
        Assert.Equal(["r3", "r4"], third);
    }

    private static List<string> ConsumeInGroup(KafkaMockCluster cluster, string topic, string group, int count, bool commit)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
        }).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null)
            {
                continue;
            }

            values.Add(Encoding.UTF8.GetString(result.Message.Value!));
            if (commit)
            {
                consumer.Commit(result);
            }
        }

        consumer.Close();
        return values;
    }
}

using System.Text;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Crm.Kafka.Inbound;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Scheduling;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Crm.Kafka;

/// <summary>
/// The inbound lead consumer end to end: another system produces plain-JSON records to <c>nexus.crm.leads.inbound</c> on
/// librdkafka's mock cluster; a node composed like the worker (RabbitMQ + PostgreSQL) turns them into
/// <c>SubmitInboundLead</c> on the bus (received here by a recording consumer behind the SQL inbox, standing in for the
/// CRM's) or dead-letters them to <c>nexus.crm.leads.inbound.dlq</c>.
/// </summary>
public sealed class When_leads_arrive_on_the_inbound_Kafka_topic(ITestOutputHelper output)
{
    private const string Topic = "nexus.crm.leads.inbound";
    private const string DeadLetters = "nexus.crm.leads.inbound.dlq";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string?> Inbound = new() { ["Crm:Kafka:InboundTopic"] = Topic };

    [Fact]
    public async Task Should_publish_valid_records_and_dead_letter_the_others_with_the_reason()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var tenant = Guid.NewGuid();
        var correlation = Guid.NewGuid();
        var full = await backend.Kafka.ProduceAsync(Topic, "crm-1", $$"""
            {"tenant_id":"{{tenant}}","client_lead_id":"crm-1","name":"Ada Obi","email":"ada@lagosfresh.example","phone":"+2348012345678",
             "company":"Lagos Fresh","source":"partner","priority":"high","notes":"Met at the trade fair","campaign":"ignored"}
            """, ("correlation_id", correlation.ToString()), ("origin", "partner-crm"));
        var rejects = new (string Record, string Code, string Mentions)[]
        {
            ("{\"tenant_id\": \"" + tenant + "\", \"client_lead_id\": ", "invalid_json", "JSON"),
            ("[1, 2, 3]", "not_an_object", "array"),
            ("{\"client_lead_id\":\"crm-3\"}", "missing_field", "tenant_id"),
            ("{\"tenant_id\":\"" + tenant + "\"}", "missing_field", "client_lead_id"),
            ("{\"tenant_id\":\"acme\",\"client_lead_id\":\"crm-4\"}", "invalid_value", "tenant_id"),
            ("{\"tenant_id\":42,\"client_lead_id\":\"crm-5\"}", "wrong_type", "tenant_id"),
            ("{\"tenant_id\":\"" + tenant + "\",\"client_lead_id\":\"crm-6\",\"email\":7}", "wrong_type", "email"),
            ("{\"tenant_id\":\"" + tenant + "\",\"client_lead_id\":\"   \"}", "invalid_value", "client_lead_id"),
        };
        var rejected = new List<Confluent.Kafka.TopicPartitionOffset>();
        foreach (var (record, _, _) in rejects)
        {
            rejected.Add(await backend.Kafka.ProduceAsync(Topic, "bad-key", record, ("origin", "partner-crm")));
        }

        rejected.Add(await backend.Kafka.ProduceAsync(Topic, "empty", (byte[]?)null, ("origin", "partner-crm")));
        var minimal = await backend.Kafka.ProduceAsync(Topic, null, $$"""{"tenant_id":"{{tenant}}","client_lead_id":"crm-2"}""");

        var log = new InboundLeadLog();
        await backend.StartNodeAsync("worker", output, Inbound, bus => bus.AddConsumer<RecordingInboundLeadConsumer>(), s => s.AddSingleton(log));
        var received = await Eventually.MatchAsync(() => Task.FromResult(log.Received), r => r.Count >= 2, Deadline, "two SubmitInboundLead");
        var dead = backend.Kafka.ReadAll(DeadLetters, rejects.Length + 1, Deadline, settle: TimeSpan.FromSeconds(1));
        var produced = backend.Kafka.ReadAll(Topic, rejects.Length + 3, Deadline);
        foreach (var r in dead)
        {
            output.WriteLine($"dlq {r.Partition}@{r.Offset} key={r.Key} {string.Join(", ", r.Headers.Select(h => $"{h.Name}={h.Value}"))} value={r.Value}");
        }

        // Valid records: every field as sent, channel kafka, a message id derived from the record's position.
        Assert.Equal(2, received.Count);
        var first = Assert.Single(received, r => r.Message.ClientLeadId == "crm-1");
        Assert.Equal(tenant, first.Message.TenantId);
        Assert.Equal(("kafka", "Ada Obi", "ada@lagosfresh.example", "+2348012345678", "Lagos Fresh", "partner", "high", "Met at the trade fair"),
            (first.Message.Channel, first.Message.Name, first.Message.Email, first.Message.Phone, first.Message.Company, first.Message.Source, first.Message.Priority, first.Message.Notes));
        Assert.Equal(ExpectedId(produced, full), first.MessageId);
        Assert.Equal(correlation, first.ConversationId);
        Assert.Equal($"{Topic}/{full.Partition.Value}/{full.Offset.Value}", first.Source);
        var fullRecord = produced.Single(r => r.Partition == full.Partition.Value && r.Offset == full.Offset.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(fullRecord.TimestampMs), first.Message.ReceivedAt);

        var second = Assert.Single(received, r => r.Message.ClientLeadId == "crm-2");
        Assert.Equal((null, null, null, null, null, null, null), (second.Message.Name, second.Message.Email, second.Message.Phone, second.Message.Company, second.Message.Source, second.Message.Priority, second.Message.Notes));
        Assert.Equal(ExpectedId(produced, minimal), second.MessageId);
        Assert.Equal(second.MessageId, second.ConversationId);

        // Rejected records: key, value and headers kept, the reason added, in their original order.
        Assert.Equal(rejects.Length + 1, dead.Count);
        for (var i = 0; i < rejects.Length; i++)
        {
            var (record, code, mentions) = rejects[i];
            var letter = dead.Single(d => d.Header(CrmKafkaHeaders.DeadLetterSource) == $"{Topic}/{rejected[i].Partition.Value}/{rejected[i].Offset.Value}");
            Assert.Equal("bad-key", letter.Key);
            Assert.Equal(record, letter.Value);
            Assert.Equal("partner-crm", letter.Header("origin"));
            Assert.Equal(code, letter.Header(CrmKafkaHeaders.DeadLetterCode));
            Assert.Contains(mentions, letter.Header(CrmKafkaHeaders.DeadLetterReason), StringComparison.Ordinal);
        }

        var empty = Assert.Single(dead, d => d.Key == "empty");
        Assert.Null(empty.Value);
        Assert.Equal("empty", empty.Header(CrmKafkaHeaders.DeadLetterCode));
        Assert.All(await backend.Vhost!.ErrorQueuesAsync(), q => Assert.True(q.Value == 0, $"{q.Value} message(s) in {q.Key}"));
    }

    [Fact]
    public async Task Should_publish_a_record_read_again_after_a_restart_before_its_commit_with_the_same_message_id()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var tenant = Guid.NewGuid();
        var position = await backend.Kafka.ProduceAsync(Topic, "crm-7", $$"""{"tenant_id":"{{tenant}}","client_lead_id":"crm-7","name":"Bola"}""");
        var log = new InboundLeadLog();
        var receipts = new ReceivedLog();

        // First node: the SubmitInboundLead reaches the broker, then the node stops before the offset is committed.
        var firstGate = new InboundPublishGate(holdFirst: true);
        var first = await backend.StartNodeAsync(
            "worker-1",
            output,
            Inbound,
            bus => bus.AddConsumer<RecordingInboundLeadConsumer>(),
            s => s.AddSingleton(log).AddPublishObserver(_ => firstGate).AddReceiveObserver(_ => receipts));
        await firstGate.Held.WaitAsync(Deadline);
        var stopping = first.StopAsync();
        var reader = first.Services.GetServices<IHostedService>().OfType<KafkaInboundLeadService>().Single();
        await Eventually.MatchAsync(() => Task.FromResult(reader.ExecuteTask?.IsCompleted == true), done => done, Deadline, "the inbound reader of worker-1 stopped");
        firstGate.Release();
        await stopping;

        // Second node, same consumer group: the record is read again and published again with the same message id; the
        // recording consumer's inbox lets it through once.
        var secondGate = new InboundPublishGate(holdFirst: false);
        await backend.StartNodeAsync(
            "worker-2",
            output,
            Inbound,
            bus => bus.AddConsumer<RecordingInboundLeadConsumer>(),
            s => s.AddSingleton(log).AddPublishObserver(_ => secondGate).AddReceiveObserver(_ => receipts));
        await Eventually.MatchAsync(() => Task.FromResult(secondGate.Published), p => p.Count == 1, Deadline, "worker-2 publishing the record again");
        var expected = ExpectedId(backend.Kafka.ReadAll(Topic, 1, Deadline), position);

        // worker-1 may have taken the first copy before it stopped; worker-2 takes whatever is left.
        await Eventually.MatchAsync(() => Task.FromResult(receipts.Count(expected)), n => n == 2, Deadline, "both copies received (by either worker)");
        var received = log.Received;
        Assert.Equal([expected], firstGate.Published);
        Assert.Equal([expected], secondGate.Published);
        Assert.Equal(expected, Assert.Single(log.Received).MessageId);
        Assert.Equal("crm-7", received[0].Message.ClientLeadId);
    }

    [Fact]
    public async Task Should_not_publish_committed_records_again_after_a_restart()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var tenant = Guid.NewGuid();
        await backend.Kafka.ProduceAsync(Topic, "crm-8", $$"""{"tenant_id":"{{tenant}}","client_lead_id":"crm-8"}""");
        await backend.Kafka.ProduceAsync(Topic, "bad", "not json");
        var log = new InboundLeadLog();
        var firstGate = new InboundPublishGate(holdFirst: false);
        var first = await backend.StartNodeAsync(
            "worker-1", output, Inbound, bus => bus.AddConsumer<RecordingInboundLeadConsumer>(), s => s.AddSingleton(log).AddPublishObserver(_ => firstGate));
        await Eventually.MatchAsync(() => Task.FromResult(log.Received), r => r.Count == 1, Deadline, "crm-8 received");
        Assert.Single(backend.Kafka.ReadAll(DeadLetters, 1, Deadline));
        await first.StopAsync();

        await backend.Kafka.ProduceAsync(Topic, "crm-9", $$"""{"tenant_id":"{{tenant}}","client_lead_id":"crm-9"}""");
        var secondGate = new InboundPublishGate(holdFirst: false);
        await backend.StartNodeAsync(
            "worker-2", output, Inbound, bus => bus.AddConsumer<RecordingInboundLeadConsumer>(), s => s.AddSingleton(log).AddPublishObserver(_ => secondGate));
        await Eventually.MatchAsync(() => Task.FromResult(log.Received), r => r.Count == 2, Deadline, "crm-9 received");

        Assert.Equal(["crm-8", "crm-9"], log.Received.Select(r => r.Message.ClientLeadId));
        Assert.Single(firstGate.Published);
        Assert.Single(secondGate.Published);
        Assert.Single(backend.Kafka.ReadAll(DeadLetters, 1, Deadline, settle: TimeSpan.FromSeconds(1)));
    }

    private static Guid ExpectedId(IReadOnlyList<KafkaRecord> records, Confluent.Kafka.TopicPartitionOffset position)
    {
        var record = records.Single(r => r.Partition == position.Partition.Value && r.Offset == position.Offset.Value);
        return InboundMessageIds.For(Topic, record.Partition, record.Offset, record.TimestampMs);
    }
}

using System.Globalization;
using System.Text.Json;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Contracts.Crm;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Scheduling;
using BacBos.Platform.Data;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Crm.Kafka;

/// <summary>
/// The bridge end to end: CRM events published on a real bus (RabbitMQ + PostgreSQL, or the embedded in-memory
/// transport + SQLite), the worker's composition with <c>Crm:Kafka:BootstrapServers</c> pointing at librdkafka's mock
/// cluster, and the records read back from Kafka.
/// </summary>
public sealed class When_CRM_events_are_bridged_to_Kafka(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> DefaultTopics = new()
    {
        ["lead.created"] = "nexus.crm.leads.created",
        ["lead.status_changed"] = "nexus.crm.leads.status_changed",
        ["lead.converted"] = "nexus.crm.leads.converted",
        ["opportunity.created"] = "nexus.crm.opportunities.created",
        ["opportunity.stage_changed"] = "nexus.crm.opportunities.stage_changed",
        ["opportunity.won"] = "nexus.crm.opportunities.won",
        ["opportunity.lost"] = "nexus.crm.opportunities.lost",
    };

    [Fact]
    public async Task Should_produce_each_event_to_its_topic_keyed_by_aggregate_with_headers_and_a_snake_case_value()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var node = await backend.StartNodeAsync("worker", output);
        Guid tenant = NewId.NextGuid(), lead = NewId.NextGuid(), won = NewId.NextGuid(), lost = NewId.NextGuid(), contact = NewId.NextGuid();
        var conversation = NewId.NextGuid();
        var correlation = NewId.NextGuid();
        ICrmEvent[] events =
        [
            CrmEvents.LeadCreated(tenant, lead),
            CrmEvents.LeadStatusChanged(tenant, lead, 2, "new", "contacted"),
            CrmEvents.LeadStatusChanged(tenant, lead, 3, "contacted", "qualified"),
            CrmEvents.LeadConverted(tenant, lead, 4, contact, won),
            CrmEvents.OpportunityCreated(tenant, won, lead),
            CrmEvents.OpportunityStageChanged(tenant, won, 2, "prospect", "qualification"),
            CrmEvents.OpportunityWon(tenant, won, 3),
            CrmEvents.OpportunityCreated(tenant, lost),
            CrmEvents.OpportunityLost(tenant, lost, 2),
        ];
        foreach (var crmEvent in events)
        {
            // The lost opportunity's events carry an explicit CorrelationId; the others only the conversation.
            await node.Bus.Publish(crmEvent, crmEvent.GetType(), Pipe.Execute<PublishContext>(c =>
            {
                c.ConversationId = conversation;
                c.CorrelationId = crmEvent.AggregateId == lost ? correlation : null;
            }));
        }

        // Bus only: LeadQualified has no topic (same sequence as the LeadStatusChanged to qualified).
        await node.Bus.Publish(CrmEvents.LeadQualified(tenant, lead, 3));

        var records = DefaultTopics.Values.SelectMany(topic => backend.Kafka.ReadAll(topic, events.Count(e => Topic(e) == topic), Deadline)).ToList();
        foreach (var r in records)
        {
            output.WriteLine($"{r.Topic}/{r.Partition}@{r.Offset} key={r.Key} headers={string.Join(",", r.Headers.Select(h => $"{h.Name}={h.Value}"))} value={r.Value}");
        }

        Assert.Equal(events.Length, records.Count);
        foreach (var crmEvent in events)
        {
            var record = Assert.Single(records, r => r.Header(CrmKafkaHeaders.MessageId) == crmEvent.EventId.ToString("D"));
            var eventType = EventType(crmEvent);
            Assert.Equal(DefaultTopics[eventType], record.Topic);
            Assert.Equal(crmEvent.AggregateId.ToString("D"), record.Key);
            Assert.Equal(["message_id", "correlation_id", "tenant_id", "event_type", "sequence", "content_type"], record.HeaderNames);
            Assert.Equal(tenant.ToString("D"), record.Header(CrmKafkaHeaders.TenantId));
            Assert.Equal(eventType, record.Header(CrmKafkaHeaders.EventType));
            Assert.Equal(crmEvent.Sequence.ToString(CultureInfo.InvariantCulture), record.Header(CrmKafkaHeaders.Sequence));
            Assert.Equal((crmEvent.AggregateId == lost ? correlation : conversation).ToString("D"), record.Header(CrmKafkaHeaders.CorrelationId));
            Assert.Equal("application/json", record.Header(CrmKafkaHeaders.ContentType));

            using var value = JsonDocument.Parse(record.Value!);
            var root = value.RootElement;
            Assert.Equal(eventType, root.GetProperty("event_type").GetString());
            Assert.Equal(crmEvent.EventId, root.GetProperty("event_id").GetGuid());
            Assert.Equal(tenant, root.GetProperty("tenant_id").GetGuid());
            Assert.Equal(crmEvent.AggregateId, root.GetProperty("aggregate_id").GetGuid());
            Assert.Equal(crmEvent.Sequence, root.GetProperty("sequence").GetInt64());
            Assert.Equal(crmEvent.OccurredAt, root.GetProperty("occurred_at").GetDateTimeOffset());
            Assert.Equal("api-key:it", root.GetProperty("actor").GetString());
            Assert.DoesNotContain(root.EnumerateObject(), p => p.Name.Any(char.IsUpper));
        }

        var created = JsonDocument.Parse(Assert.Single(records, r => r.Topic == "nexus.crm.opportunities.created" && r.Key == won.ToString("D")).Value!).RootElement;
        Assert.Equal(1250000.50m, created.GetProperty("amount").GetDecimal());
        Assert.Equal("2027-01-31", created.GetProperty("close_date").GetString());
        Assert.Equal(lead, created.GetProperty("lead_id").GetGuid());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("contact_id").ValueKind);

        // One aggregate's records share a partition and are in sequence order there.
        var statuses = records.Where(r => r.Topic == "nexus.crm.leads.status_changed").ToList();
        Assert.Single(statuses.Select(r => r.Partition).Distinct());
        Assert.Equal(["2", "3"], statuses.Select(r => r.Header(CrmKafkaHeaders.Sequence)));

        Assert.Equal(4, await LastSequenceAsync(node, lead));
        Assert.Equal(3, await LastSequenceAsync(node, won));
        Assert.Equal(2, await LastSequenceAsync(node, lost));
        Assert.All(await backend.Vhost!.ErrorQueuesAsync(), q => Assert.True(q.Value == 0, $"{q.Value} message(s) in {q.Key}"));
    }

    [Fact]
    public async Task Should_use_the_topic_names_from_configuration()
    {
        await using var backend = await CrmKafkaBackend.StartAsync(embedded: true);
        var node = await backend.StartNodeAsync("worker", output, new Dictionary<string, string?>
        {
            ["Crm:Kafka:Topics:LeadCreated"] = "acme.sales.lead-created",
            ["Crm:Kafka:Topics:OpportunityWon"] = "acme.sales.deal-won",
        });
        Guid tenant = NewId.NextGuid(), lead = NewId.NextGuid(), opportunity = NewId.NextGuid();
        await node.Bus.Publish(CrmEvents.LeadCreated(tenant, lead));
        await node.Bus.Publish(CrmEvents.OpportunityCreated(tenant, opportunity));
        await node.Bus.Publish(CrmEvents.OpportunityWon(tenant, opportunity, 2));

        var leads = backend.Kafka.ReadAll("acme.sales.lead-created", 1, Deadline);
        var wins = backend.Kafka.ReadAll("acme.sales.deal-won", 1, Deadline);
        var created = backend.Kafka.ReadAll("nexus.crm.opportunities.created", 1, Deadline);

        Assert.Equal(lead.ToString("D"), Assert.Single(leads).Key);
        Assert.Equal(opportunity.ToString("D"), Assert.Single(wins).Key);
        Assert.Equal(opportunity.ToString("D"), Assert.Single(created).Key);
        Assert.Empty(backend.Kafka.ReadAll("nexus.crm.leads.created", 0, TimeSpan.FromSeconds(2)));
        Assert.Empty(backend.Kafka.ReadAll("nexus.crm.opportunities.won", 0, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_keep_each_aggregates_order_when_later_events_arrive_first(bool embedded)
    {
        await using var backend = await CrmKafkaBackend.StartAsync(embedded);
        var consumed = new ConsumedLog();
        var node = await backend.StartNodeAsync("worker", output, services: s => s.AddConsumeObserver(_ => consumed));
        Guid tenant = NewId.NextGuid(), first = NewId.NextGuid(), second = NewId.NextGuid();
        var created = CrmEvents.LeadCreated(tenant, first);
        var contacted = CrmEvents.LeadStatusChanged(tenant, first, 2, "new", "contacted");
        var qualified = CrmEvents.LeadStatusChanged(tenant, first, 3, "contacted", "qualified");

        // Events 3 and 2 come first: both are handled (and sent back to wait) while nothing of the lead is in Kafka.
        await node.Bus.Publish(qualified);
        await node.Bus.Publish(contacted);
        await Eventually.MatchAsync(
            () => Task.FromResult(consumed.CountOf<LeadStatusChanged>(e => e.AggregateId == first)),
            n => n >= 4,
            Deadline,
            "events 3 and 2 handled (and sent back) at least twice each in all");
        Assert.Empty(backend.Kafka.ReadAll("nexus.crm.leads.status_changed", 0, TimeSpan.FromSeconds(1)));

        // Interleaved with another lead whose events also arrive in reverse.
        await node.Bus.Publish(CrmEvents.LeadStatusChanged(tenant, second, 2, "new", "disqualified"));
        await node.Bus.Publish(created);
        await node.Bus.Publish(CrmEvents.LeadCreated(tenant, second));

        var statuses = backend.Kafka.ReadAll("nexus.crm.leads.status_changed", 3, Deadline);
        var creations = backend.Kafka.ReadAll("nexus.crm.leads.created", 2, Deadline);
        output.WriteLine($"{backend.Describe}: " + string.Join("; ", statuses.Select(r => $"{r.Key} seq {r.Header("sequence")} @{r.Partition}/{r.Offset}")));

        Assert.Equal([contacted.EventId.ToString("D"), qualified.EventId.ToString("D")],
            statuses.Where(r => r.Key == first.ToString("D")).Select(r => r.Header(CrmKafkaHeaders.MessageId)));
        Assert.Equal(["1"], creations.Where(r => r.Key == first.ToString("D")).Select(r => r.Header(CrmKafkaHeaders.Sequence)));
        Assert.Equal(["2"], statuses.Where(r => r.Key == second.ToString("D")).Select(r => r.Header(CrmKafkaHeaders.Sequence)));
        Assert.Equal(3, await LastSequenceAsync(node, first));
        Assert.Equal(2, await LastSequenceAsync(node, second));
    }

    [Fact]
    public async Task Should_keep_every_aggregates_order_across_two_replicas_when_the_events_arrive_shuffled()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var first = await backend.StartNodeAsync("worker-1", output);
        var second = await backend.StartNodeAsync("worker-2", output);
        var tenant = NewId.NextGuid();
        var leads = Enumerable.Range(0, 5).Select(_ => NewId.NextGuid()).ToList();
        string[] statuses = ["new", "contacted", "qualified", "contacted", "qualified", "disqualified"];
        var events = leads.SelectMany(lead => new ICrmEvent[] { CrmEvents.LeadCreated(tenant, lead) }
                .Concat(Enumerable.Range(2, 5).Select(seq => CrmEvents.LeadStatusChanged(tenant, lead, seq, statuses[seq - 2], statuses[seq - 1]))))
            .ToList();
        var shuffled = events.OrderBy(_ => Random.Shared.Next()).ToList();
        output.WriteLine("published: " + string.Join(" ", shuffled.Select(e => $"{leads.IndexOf(e.AggregateId)}.{e.Sequence}")));

        await Task.WhenAll(shuffled.Select((e, i) => (i % 2 == 0 ? first : second).Bus.Publish(e, e.GetType())));

        var created = backend.Kafka.ReadAll("nexus.crm.leads.created", leads.Count, Deadline);
        var changed = backend.Kafka.ReadAll("nexus.crm.leads.status_changed", leads.Count * 5, Deadline, settle: TimeSpan.FromSeconds(1));

        Assert.Equal(leads.Count, created.Count);
        Assert.Equal(leads.Count * 5, changed.Count);
        foreach (var lead in leads)
        {
            var ofLead = changed.Where(r => r.Key == lead.ToString("D")).ToList();
            Assert.Single(ofLead.Select(r => r.Partition).Distinct());
            Assert.Equal(["2", "3", "4", "5", "6"], ofLead.Select(r => r.Header(CrmKafkaHeaders.Sequence)));
            Assert.Equal(
                events.Where(e => e.AggregateId == lead && e.Sequence > 1).Select(e => e.EventId.ToString("D")),
                ofLead.Select(r => r.Header(CrmKafkaHeaders.MessageId)));
            Assert.Equal(6, await LastSequenceAsync(first, lead));
        }
    }

    [Fact]
    public async Task Should_produce_an_event_delivered_twice_or_published_twice_only_once()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var consumed = new ConsumedLog();
        var node = await backend.StartNodeAsync("worker", output, services: s => s.AddConsumeObserver(_ => consumed));
        Guid tenant = NewId.NextGuid(), lead = NewId.NextGuid();
        var created = CrmEvents.LeadCreated(tenant, lead);
        var messageId = NewId.NextGuid();
        var republishedId = NewId.NextGuid();

        await node.Bus.Publish(created, c => c.MessageId = messageId);
        await Eventually.MatchAsync(() => Task.FromResult(consumed.Count(messageId)), n => n == 1, Deadline, "the first delivery handled");

        // A broker redelivery (same message id: the inbox drops it) and a second publish of the same event (new message
        // id: the bridge position says it was produced).
        await node.Bus.Publish(created, c => c.MessageId = messageId);
        await node.Bus.Publish(created, c => c.MessageId = republishedId);
        await Eventually.MatchAsync(
            () => Task.FromResult((consumed.Count(messageId), consumed.Count(republishedId))),
            n => n is (2, 1),
            Deadline,
            "the redelivery and the second publish handled");
        await node.Bus.Publish(CrmEvents.LeadStatusChanged(tenant, lead, 2, "new", "contacted"));

        var creations = backend.Kafka.ReadAll("nexus.crm.leads.created", 1, Deadline, settle: TimeSpan.FromSeconds(2));
        var statuses = backend.Kafka.ReadAll("nexus.crm.leads.status_changed", 1, Deadline);

        Assert.Equal(created.EventId.ToString("D"), Assert.Single(creations).Header(CrmKafkaHeaders.MessageId));
        Assert.Single(statuses);
        Assert.Equal(2, await LastSequenceAsync(node, lead));
    }

    [Fact]
    public async Task Should_produce_again_with_the_same_message_id_when_the_position_is_lost_after_Kafka_acknowledged()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var node = await backend.StartNodeAsync("worker", output);
        Guid tenant = NewId.NextGuid(), lead = NewId.NextGuid();

        // The crash window, for real: Kafka acknowledged the record, then the position update (and with it the whole
        // message transaction) fails once. The retry produces the event again.
        await FailFirstPositionUpdateAsync(backend.Postgres!, lead);
        var created = CrmEvents.LeadCreated(tenant, lead);
        await node.Bus.Publish(created);
        await node.Bus.Publish(CrmEvents.LeadStatusChanged(tenant, lead, 2, "new", "contacted"));

        var creations = backend.Kafka.ReadAll("nexus.crm.leads.created", 2, Deadline);
        var statuses = backend.Kafka.ReadAll("nexus.crm.leads.status_changed", 1, Deadline, settle: TimeSpan.FromSeconds(1));

        Assert.Equal(2, creations.Count);
        Assert.All(creations, r => Assert.Equal(created.EventId.ToString("D"), r.Header(CrmKafkaHeaders.MessageId)));
        Assert.All(creations, r => Assert.Equal(lead.ToString("D"), r.Key));
        Assert.Equal(creations[0].Value, creations[1].Value);
        Assert.Single(statuses);
        Assert.Equal(2, await LastSequenceAsync(node, lead));
    }

    [Fact]
    public async Task Should_send_an_event_whose_predecessor_never_comes_to_the_error_queue_after_its_waits()
    {
        await using var backend = await CrmKafkaBackend.StartAsync();
        var node = await backend.StartNodeAsync("worker", output, new Dictionary<string, string?>
        {
            ["Crm:Kafka:Bridge:OutOfOrderRedeliveryMs:0"] = "100",
            ["Crm:Kafka:Bridge:OutOfOrderRedeliveryMs:1"] = "100",
            ["Bus:RetryIntervalsMs:0"] = "10",
            ["Bus:RedeliveryIntervalsMs:0"] = "100",
        });
        Guid tenant = NewId.NextGuid(), lead = NewId.NextGuid(), other = NewId.NextGuid();
        var orphan = CrmEvents.LeadStatusChanged(tenant, lead, 2, "new", "contacted");

        await node.Bus.Publish(orphan);
        await Eventually.MatchAsync(
            () => backend.Vhost!.ReadyMessagesAsync("bacbos-crm-kafka-bridge_error"),
            n => n == 1,
            Deadline,
            "the orphan event in bacbos-crm-kafka-bridge_error");
        await node.Bus.Publish(CrmEvents.LeadCreated(tenant, other));

        Assert.Single(backend.Kafka.ReadAll("nexus.crm.leads.created", 1, Deadline));
        Assert.Empty(backend.Kafka.ReadAll("nexus.crm.leads.status_changed", 0, TimeSpan.FromSeconds(1)));
        Assert.Equal(0, await LastSequenceAsync(node, lead));
    }

    private static string EventType(ICrmEvent crmEvent) => crmEvent switch
    {
        LeadCreated => "lead.created",
        LeadStatusChanged => "lead.status_changed",
        LeadConverted => "lead.converted",
        OpportunityCreated => "opportunity.created",
        OpportunityStageChanged => "opportunity.stage_changed",
        OpportunityWon => "opportunity.won",
        OpportunityLost => "opportunity.lost",
        _ => throw new ArgumentOutOfRangeException(nameof(crmEvent), crmEvent.GetType().Name),
    };

    private static string Topic(ICrmEvent crmEvent) => DefaultTopics[EventType(crmEvent)];

    /// <summary>The aggregate's bridge position (0 when it has none).</summary>
    private static async Task<long> LastSequenceAsync(SchedulingHost node, Guid aggregateId)
    {
        var database = node.Services.GetRequiredService<Database>();
        await using var session = await database.BeginOwnedAsync();
        var value = await session.ScalarAsync("SELECT last_sequence FROM kafka_bridge_positions WHERE aggregate_id = @a", default, ("a", database.Id(aggregateId)));
        return value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>A trigger that makes the first update of <paramref name="aggregateId"/>'s position fail (a sequence is not rolled back).</summary>
    private static async Task FailFirstPositionUpdateAsync(PostgresDatabase postgres, Guid aggregateId)
    {
        await postgres.ScalarAsync("CREATE SEQUENCE it_position_failures");
        await postgres.ScalarAsync($"""
            CREATE FUNCTION it_fail_first_position_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.aggregate_id = '{aggregateId:D}' AND nextval('it_position_failures') = 1 THEN
                    RAISE EXCEPTION 'injected: the position update is lost after Kafka acknowledged';
                END IF;
                RETURN NEW;
            END $$
            """);
        await postgres.ScalarAsync(
            "CREATE TRIGGER it_fail_first_position_update BEFORE UPDATE ON kafka_bridge_positions FOR EACH ROW EXECUTE FUNCTION it_fail_first_position_update()");
    }
}

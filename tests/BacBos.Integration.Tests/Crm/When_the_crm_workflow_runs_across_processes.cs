using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Integration.Tests.Crm.Kafka;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Crm;

/// <summary>
/// The CRM issue's acceptance: seed §2 through the REST API of a gateway process, with the worker in another process on
/// RabbitMQ + PostgreSQL and its Kafka side pointed at librdkafka's mock cluster in this test process. The lead →
/// opportunity → won workflow leaves its events on the Kafka topics (keyed by aggregate, in per-aggregate order, with
/// the documented headers) and finance records the invoice draft; a lead produced to the inbound topic twice becomes one
/// lead, and a malformed inbound record lands in the dead-letter topic with its reason.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_the_crm_workflow_runs_across_processes(When_the_crm_workflow_runs_across_processes.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_the_crm_workflow_runs_across_processes.Fixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public sealed class Fixture : SplitSystem, IDisposable
    {
        public KafkaMockCluster Kafka { get; } = KafkaMockCluster.Start();

        protected override void ConfigureGateway(IDictionary<string, string> environment) =>
            environment["Gateway__ActivationWait"] = "00:00:10";

        protected override void ConfigureWorker(IDictionary<string, string> environment)
        {
            environment["Crm__Kafka__BootstrapServers"] = Kafka.BootstrapServers;
            environment["Crm__Kafka__InboundTopic"] = "nexus.crm.leads.inbound";
        }

        public void Dispose() => Kafka.Dispose();
    }

    [Fact]
    public async Task Should_take_a_lead_to_a_won_opportunity_with_its_events_on_kafka_and_an_invoice_draft()
    {
        output.WriteLine($"database {system.Database.Name}, kafka {system.Kafka.BootstrapServers}, process logs: {system.LogDirectory}");
        var (tenantId, client) = await ActivateTenantAsync("Kafka Workflow Foods");
        using var tenantClient = client;

        var lead = await ExpectAsync(client, HttpStatusCode.Created, HttpMethod.Post, "/api/v1/leads", new JsonObject
        {
            ["name"] = "Chidi Okafor",
            ["email"] = "chidi@okafor.example",
            ["company"] = "Okafor Farms",
            ["source"] = "website",
            ["priority"] = "high",
        });
        var leadId = lead.GetProperty("id").GetGuid();
        await ExpectAsync(client, HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/leads/{leadId:D}", new JsonObject { ["status"] = "contacted" });
        await ExpectAsync(client, HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/leads/{leadId:D}", new JsonObject { ["status"] = "qualified" });
        var conversion = await ExpectAsync(client, HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/leads/{leadId:D}/convert", new JsonObject
        {
            ["amount"] = 2_400_000,
            ["close_date"] = "2026-12-31",
        });
        var opportunityId = conversion.GetProperty("opportunity").GetProperty("id").GetGuid();
        foreach (var stage in new[] { "qualification", "proposal", "negotiation" })
        {
            await ExpectAsync(client, HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/opportunities/{opportunityId:D}", new JsonObject { ["stage"] = stage });
        }

        var won = await ExpectAsync(client, HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/opportunities/{opportunityId:D}/close", new JsonObject { ["outcome"] = "won", ["reason"] = "Signed" });
        Assert.Equal(("closed-won", 100m), (won.GetProperty("stage").GetString(), won.GetProperty("probability").GetDecimal()));

        // Kafka: every topic event of both aggregates, keyed by the aggregate, in per-aggregate sequence.
        var leadEvents = await ReadForAsync(leadId, ("nexus.crm.leads.created", 1), ("nexus.crm.leads.status_changed", 2), ("nexus.crm.leads.converted", 1));
        var opportunityEvents = await ReadForAsync(opportunityId, ("nexus.crm.opportunities.created", 1), ("nexus.crm.opportunities.stage_changed", 3), ("nexus.crm.opportunities.won", 1));
        foreach (var (name, events) in new[] { ("lead", leadEvents), ("opportunity", opportunityEvents) })
        {
            output.WriteLine($"{name}: {string.Join(", ", events.Select(e => $"{e.Topic}#{e.Header("sequence")}"))}");
            Assert.All(events, e =>
            {
                Assert.Equal(tenantId.ToString("D"), e.Header("tenant_id"));
                Assert.True(Guid.TryParse(e.Header("message_id"), out _), $"{e.Topic}: message_id header '{e.Header("message_id")}'");
                Assert.False(string.IsNullOrEmpty(e.Header("correlation_id")), $"{e.Topic}: no correlation_id header");
            });
            var sequences = events.Select(e => long.Parse(e.Header("sequence")!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
            Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences.Take(sequences.Count));
            Assert.Equal(events.Count, events.Select(e => e.Header("message_id")).Distinct().Count());
        }

        // Within one topic (one partition per key) the records are in the aggregate's order.
        var stageChanges = opportunityEvents.Where(e => e.Topic == "nexus.crm.opportunities.stage_changed").Select(e => JsonDocument.Parse(e.Value!).RootElement.GetProperty("to").GetString()).ToList();
        Assert.Equal(["qualification", "proposal", "negotiation"], stageChanges.Take(3));

        // Finance: the worker recorded the invoice draft of the won opportunity.
        var withDraft = await Eventually.MatchAsync(
            () => GetAsync(client, $"/api/v1/opportunities/{opportunityId:D}"),
            o => o.GetProperty("invoice_draft").ValueKind == JsonValueKind.Object,
            Deadline,
            "the invoice draft of the won opportunity",
            diagnostics: system.Diagnostics);
        var draft = withDraft.GetProperty("invoice_draft");
        output.WriteLine($"invoice draft: {draft}");
        Assert.Equal("NGN", draft.GetProperty("currency").GetString());
        Assert.Equal(won.GetProperty("amount").GetDecimal(), draft.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Should_create_one_lead_from_an_inbound_record_produced_twice_and_dead_letter_a_malformed_one()
    {
        var (tenantId, client) = await ActivateTenantAsync("Kafka Inbound Foods");
        using var tenantClient = client;
        var clientLeadId = "crm-ext-" + Guid.NewGuid().ToString("N")[..8];
        var record = new JsonObject
        {
            ["tenant_id"] = tenantId.ToString("D"),
            ["client_lead_id"] = clientLeadId,
            ["name"] = "Amaka From Kafka",
            ["email"] = "amaka@kafka.example",
            ["source"] = "partner",
            ["priority"] = "medium",
        }.ToJsonString();

        await system.Kafka.ProduceAsync("nexus.crm.leads.inbound", clientLeadId, record);
        await system.Kafka.ProduceAsync("nexus.crm.leads.inbound", clientLeadId, record);
        await system.Kafka.ProduceAsync("nexus.crm.leads.inbound", "broken", "{\"tenant_id\": 42");

        var leads = await Eventually.MatchAsync(
            () => GetAsync(client, "/api/v1/leads?channel=kafka"),
            page => page.GetProperty("total").GetInt64() >= 1,
            Deadline,
            "the inbound lead to be created",
            diagnostics: system.Diagnostics);
        var dead = system.Kafka.ReadAll("nexus.crm.leads.inbound.dlq", atLeast: 1, Deadline);

        // Wait until the worker handled the second copy too (its intake logs the duplicate it ignored), so a second
        // lead would exist by now if the dedupe on client_lead_id did not hold.
        await Eventually.MatchAsync(
            () => Task.FromResult(File.ReadLines(system.Worker.LogFile).Any(l => l.Contains(clientLeadId, StringComparison.Ordinal) && l.Contains("duplicate ignored", StringComparison.Ordinal))),
            seen => seen,
            Deadline,
            "the worker to ignore the second copy of the inbound record",
            diagnostics: system.Diagnostics);
        var again = await GetAsync(client, "/api/v1/leads?channel=kafka");
        output.WriteLine($"inbound leads: {again.GetProperty("total")}; dead letters: {string.Join(" | ", dead.Select(d => d.Header("dlq_reason")))}");
        Assert.Equal(1, again.GetProperty("total").GetInt64());
        Assert.Equal("Amaka From Kafka", leads.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Contains(dead, d => !string.IsNullOrEmpty(d.Header("dlq_reason")) && d.Value is { } v && v.StartsWith("{\"tenant_id\": 42", StringComparison.Ordinal));
    }

    private async Task<List<KafkaRecord>> ReadForAsync(Guid aggregate, params (string Topic, int Count)[] topics)
    {
        var key = aggregate.ToString("D");
        var found = new List<KafkaRecord>();
        foreach (var (topic, count) in topics)
        {
            // Only this test writes these topics: wait for the expected number of records, then keep this aggregate's.
            var records = await Task.Run(() => system.Kafka.ReadAll(topic, atLeast: count, Deadline).Where(r => r.Key == key).ToList());
            Assert.True(records.Count >= count, $"{records.Count} record(s) of {aggregate} on {topic}, expected {count}{Environment.NewLine}{system.Diagnostics()}");
            found.AddRange(records);
        }

        return found;
    }

    private async Task<(Guid TenantId, HttpClient Client)> ActivateTenantAsync(string name)
    {
        var submission = await ActivationApi.SubmitAsync(system.Http, ActivationApi.Body(name + " " + Guid.NewGuid().ToString("N")[..6]), null, system.Diagnostics);
        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, [submission.ActivationId], Deadline, system.Diagnostics);
        var activation = submission.Status == HttpStatusCode.Created ? submission.Body : finals[submission.ActivationId];
        var apiKey = activation.GetProperty("result").GetProperty("credentials").GetProperty("api_key").GetString()!;
        var client = new HttpClient { BaseAddress = system.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return (activation.GetProperty("tenant_id").GetGuid(), client);
    }

    private static async Task<JsonElement> ExpectAsync(HttpClient client, HttpStatusCode expected, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

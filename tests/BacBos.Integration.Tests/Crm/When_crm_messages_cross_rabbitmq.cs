using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Crm;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Crm;

/// <summary>
/// The CRM on the real servers, gateway and worker as separate processes: plain-JSON leads published with
/// RabbitMQ.Client (no MassTransit) become leads once per client id; bad ones land in the inbound queue's error queue
/// with the reason, without retries; a <see cref="SubmitInboundLead"/> from the bus does the same; REST changes reach
/// the bus as events numbered per aggregate, and a win records its invoice draft; a tenant schema from before the CRM
/// migration is brought up to date on first use.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_crm_messages_cross_rabbitmq(CrmSystem system, ITestOutputHelper output) : IClassFixture<CrmSystem>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private string Plain(string clientLeadId, string name = "Ada Obi", string email = "ada@example.com", Guid? tenantId = null) =>
        new JsonObject
        {
            ["tenant_id"] = (tenantId ?? system.TenantId).ToString(),
            ["client_lead_id"] = clientLeadId,
            ["name"] = name,
            ["email"] = email,
            ["phone"] = "+234 803 555 0199",
            ["company"] = "Obi Farms",
            ["source"] = "website",
            ["priority"] = "high",
            ["notes"] = "Sent by the shop's own CRM",
            ["their_own_field"] = "ignored",
        }.ToJsonString();

    private async Task<JsonElement[]> InboundLeadsAsync(string clientLeadId, string channel = "rabbitmq")
    {
        var page = await system.SendAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/leads?channel={channel}&page_size=200");
        return page.GetProperty("items").EnumerateArray().Where(l => l.GetProperty("client_lead_id").GetString() == clientLeadId).ToArray();
    }

    [Fact]
    public async Task Should_create_a_lead_from_plain_json_published_without_masstransit()
    {
        await system.PublishRawAsync(Plain("web-100"));

        var leads = await Eventually.MatchAsync(() => InboundLeadsAsync("web-100"), l => l.Length == 1, Deadline, "the lead from the plain-JSON message", diagnostics: system.Diagnostics);

        var lead = leads[0];
        Assert.Equal(
            ("Ada Obi", "ada@example.com", "+2348035550199", "Obi Farms", "website", "high", "new", "inbound:rabbitmq"),
            (Str(lead, "name"), Str(lead, "email"), Str(lead, "phone"), Str(lead, "company"), Str(lead, "source"), Str(lead, "priority"), Str(lead, "status"), Str(lead, "created_by")));
        var created = await Eventually.MatchAsync(
            () => Task.FromResult(system.Events.Where(e => e.Event.AggregateId == lead.GetProperty("id").GetGuid()).ToList()),
            e => e.Count == 1,
            Deadline,
            "LeadCreated on the bus");
        Assert.Equal(("inbound:rabbitmq", 1L), (created[0].Event.Actor, created[0].Event.Sequence));
    }

    [Fact]
    public async Task Should_create_one_lead_for_a_client_id_published_twice()
    {
        await system.PublishRawAsync(Plain("web-200"));
        await system.PublishRawAsync(Plain("web-200", name: "Ada Obi (resent)"));

        await Eventually.MatchAsync(
            () => Task.FromResult(system.LogLines("web-200", "duplicate ignored").Count),
            n => n == 1,
            Deadline,
            "the worker to recognise the repeat",
            diagnostics: system.Diagnostics);

        var leads = await InboundLeadsAsync("web-200");
        Assert.Single(leads);
        Assert.Equal("Ada Obi", Str(leads[0], "name"));
    }

    [Theory]
    [InlineData("invalid-fields", "name: name is required.", "email: 'not-an-email' is not a valid e-mail address")]
    [InlineData("unknown-tenant", "unknown tenant", "no such tenant has CRM storage")]
    [InlineData("wrong-type", "name: name must be a JSON string, not number.", "invalid lead")]
    public async Task Should_dead_letter_a_bad_message_with_the_reason(string kind, string reason, string also)
    {
        var marker = $"dead-{kind}-{Guid.NewGuid():N}";
        var json = kind switch
        {
            "invalid-fields" => Plain(marker, name: " ", email: "not-an-email"),
            "unknown-tenant" => Plain(marker, tenantId: Guid.NewGuid()),
            _ => $$"""{"tenant_id":"{{system.TenantId}}","client_lead_id":"{{marker}}","name":42}""",
        };

        await system.PublishRawAsync(json);

        var dead = await Eventually.MatchAsync(() => system.FindDeadLetterAsync(marker), d => d is not null, Deadline, $"{marker} in {CrmSystem.InboundErrorQueue}", diagnostics: system.Diagnostics);
        output.WriteLine(string.Join(Environment.NewLine, dead!.Headers.Where(h => h.Key.StartsWith("MT-", StringComparison.Ordinal)).Select(h => $"{h.Key}: {h.Value}")));
        Assert.Equal(json, dead.Body);
        Assert.Contains(reason, dead.Headers["MT-Fault-Message"], StringComparison.Ordinal);
        Assert.Contains(also, dead.Headers["MT-Fault-Message"], StringComparison.Ordinal);

        Assert.EndsWith("RejectedMessageException", dead.Headers["MT-Fault-ExceptionType"], StringComparison.Ordinal);
        Assert.Equal("fault", dead.Headers["MT-Reason"]);

        // Rejected at once: no immediate retries, no scheduled redelivery.
        Assert.True(!dead.Headers.TryGetValue("MT-Fault-RetryCount", out var retries) || retries == "0", $"retried {retries} time(s)");
        Assert.False(dead.Headers.ContainsKey("MT-Redelivery-Count"), "redelivered before dead-lettering");
        Assert.Empty(await InboundLeadsAsync(marker));
    }

    [Theory]
    [InlineData("{ this is not json ", "System.Text.Json.")]
    [InlineData("[\"an array, not an object\", ", "JsonException")]
    public async Task Should_dead_letter_a_body_that_is_not_a_json_object_at_once(string start, string exception)
    {
        var marker = $"unreadable-{Guid.NewGuid():N}";
        var body = start.EndsWith(", ", StringComparison.Ordinal) ? $"{start}\"{marker}\"]" : start + marker;

        await system.PublishRawAsync(body);

        var dead = await Eventually.MatchAsync(() => system.FindDeadLetterAsync(marker), d => d is not null, Deadline, "the unreadable message in the error queue", diagnostics: system.Diagnostics);
        output.WriteLine(string.Join(Environment.NewLine, dead!.Headers.Where(h => h.Key.StartsWith("MT-Fault-M", StringComparison.Ordinal) || h.Key.StartsWith("MT-Fault-E", StringComparison.Ordinal)).Select(h => $"{h.Key}: {h.Value}")));
        Assert.Equal(body, dead.Body);
        Assert.False(string.IsNullOrWhiteSpace(dead.Headers.GetValueOrDefault("MT-Fault-Message")), "no reason on the dead letter");
        Assert.Contains(exception, dead.Headers.GetValueOrDefault("MT-Fault-ExceptionType") ?? string.Empty, StringComparison.Ordinal);
        Assert.True(!dead.Headers.TryGetValue("MT-Fault-RetryCount", out var retries) || retries == "0", $"retried {retries} time(s)");
        Assert.False(dead.Headers.ContainsKey("MT-Redelivery-Count"), "redelivered before dead-lettering");
    }

    [Fact]
    public async Task Should_create_a_lead_from_a_submit_inbound_lead_on_the_bus()
    {
        var message = new SubmitInboundLead(system.TenantId, "kafka-300", "kafka", "Bola Ade", null, "+2348035550300", null, "event", "low", null, DateTimeOffset.UtcNow);

        await system.ProbeBus.Publish(message);
        await system.ProbeBus.Publish(message);

        var leads = await Eventually.MatchAsync(() => InboundLeadsAsync("kafka-300", "kafka"), l => l.Length == 1, Deadline, "the lead from SubmitInboundLead", diagnostics: system.Diagnostics);
        Assert.Equal(("Bola Ade", "inbound:kafka"), (Str(leads[0], "name"), Str(leads[0], "created_by")));
        await Eventually.MatchAsync(() => Task.FromResult(system.LogLines("kafka-300", "duplicate ignored").Count), n => n == 1, Deadline, "the repeat to be ignored", diagnostics: system.Diagnostics);
        Assert.Single(await InboundLeadsAsync("kafka-300", "kafka"));
    }

    [Fact]
    public async Task Should_publish_each_change_in_per_aggregate_sequence_and_draft_the_invoice()
    {
        var leadId = (await system.SendAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "Sequence Lead", ["email"] = "seq@example.com" })).GetProperty("id").GetGuid();
        await WaitForEventsAsync(leadId, 1);
        await system.SendAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/leads/{leadId:D}", new JsonObject { ["status"] = "contacted" });
        await WaitForEventsAsync(leadId, 2);
        await system.SendAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/leads/{leadId:D}", new JsonObject { ["status"] = "qualified" });
        await WaitForEventsAsync(leadId, 4);
        var conversion = await system.SendAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/leads/{leadId:D}/convert", new JsonObject { ["amount"] = 1_000_000, ["stage"] = "qualification" });
        var opportunityId = conversion.GetProperty("opportunity").GetProperty("id").GetGuid();
        await WaitForEventsAsync(leadId, 6);
        await WaitForEventsAsync(opportunityId, 1);
        await system.SendAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/opportunities/{opportunityId:D}", new JsonObject { ["stage"] = "proposal" });
        await WaitForEventsAsync(opportunityId, 2);
        await system.SendAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/opportunities/{opportunityId:D}/close", new JsonObject { ["outcome"] = "won", ["reason"] = "signed" });
        await WaitForEventsAsync(opportunityId, 4);

        Assert.Equal(
            ["LeadCreated:1", "LeadStatusChanged:2", "LeadStatusChanged:3", "LeadQualified:3", "LeadStatusChanged:4", "LeadConverted:5"],
            Arrived(leadId));
        Assert.Equal(["OpportunityCreated:1", "OpportunityStageChanged:2", "OpportunityStageChanged:3", "OpportunityWon:4"], Arrived(opportunityId));
        Assert.All(system.Events.Where(e => e.Event.AggregateId == leadId || e.Event.AggregateId == opportunityId), e =>
        {
            Assert.Equal(e.Event.EventId, e.MessageId);
            Assert.Equal(e.Event.AggregateId, e.CorrelationId);
            Assert.Equal(system.TenantId, e.Event.TenantId);
        });

        var won = await Eventually.MatchAsync(
            () => system.SendAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/opportunities/{opportunityId:D}"),
            o => o.GetProperty("invoice_draft").ValueKind == JsonValueKind.Object,
            Deadline,
            "the invoice draft recorded by the worker",
            diagnostics: system.Diagnostics);
        var draft = won.GetProperty("invoice_draft");
        Assert.Equal(("VAT standard", "930232.56", "69767.44", "1000000.00"), (Str(draft, "tax_name"), draft.GetProperty("net_amount").GetRawText(), draft.GetProperty("tax_amount").GetRawText(), draft.GetProperty("total").GetRawText()));
        Assert.Equal(1, await system.Database.CountAsync($"SELECT COUNT(*) FROM \"tenant_{system.TenantId:N}\".invoice_drafts WHERE opportunity_id = @o", ("o", opportunityId)));
    }

    [Fact]
    public async Task Should_bring_an_older_tenant_schema_up_to_date_on_first_use()
    {
        var (tenantId, client) = await system.ActivateTenantAsync("Crm Older Tenant");
        using var _ = client;
        var schema = $"\"tenant_{tenantId:N}\"";
        await system.Database.ScalarAsync(
            $"DROP TABLE {schema}.opportunity_stage_history, {schema}.opportunities, {schema}.invoice_drafts, {schema}.contacts, {schema}.leads; " +
            $"DELETE FROM {schema}.schema_migrations WHERE version = '0002_crm'");
        Assert.Equal(0, await system.Database.CountAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @s AND table_name = 'leads'", ("s", $"tenant_{tenantId:N}")));

        var lead = await system.SendAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "First After Upgrade", ["phone"] = "+2348035550400" }, client);

        Assert.Equal("new", Str(lead, "status"));
        Assert.Equal(1, await system.Database.CountAsync($"SELECT COUNT(*) FROM {schema}.schema_migrations WHERE version = '0002_crm'"));
        Assert.Equal(1, await system.Database.CountAsync($"SELECT COUNT(*) FROM {schema}.leads"));
    }

    private Task WaitForEventsAsync(Guid aggregateId, int count) =>
        Eventually.MatchAsync(
            () => Task.FromResult(system.Events.Count(e => e.Event.AggregateId == aggregateId)),
            n => n >= count,
            Deadline,
            $"{count} event(s) of {aggregateId}",
            n => $"{n}: {string.Join(", ", Arrived(aggregateId))}",
            system.Diagnostics);

    private IReadOnlyList<string> Arrived(Guid aggregateId) =>
        system.Events.Where(e => e.Event.AggregateId == aggregateId).Select(e => $"{e.Event.GetType().Name}:{e.Event.Sequence}").ToList();

    private static string? Str(JsonElement e, string name) => e.GetProperty(name).GetString();
}

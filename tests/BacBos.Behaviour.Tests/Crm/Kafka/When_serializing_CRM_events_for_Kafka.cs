using System.Text;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Crm.Kafka.Bridge;
using BacBos.Contracts.Crm;

namespace BacBos.Behaviour.Tests.Crm.Kafka;

/// <summary>The documented Kafka value shapes, byte for byte: a change here breaks every consumer of the topics.</summary>
public class When_serializing_CRM_events_for_Kafka
{
    private static readonly Guid EventId = Guid.Parse("0c0f0000-62f4-9e9c-1111-08df4b3d5c74");
    private static readonly Guid Tenant = Guid.Parse("0c0f0000-62f4-9e9c-2222-08df4b3d5c74");
    private static readonly Guid Aggregate = Guid.Parse("0c0f0000-62f4-9e9c-3333-08df4b3d5c74");
    private static readonly Guid Lead = Guid.Parse("0c0f0000-62f4-9e9c-4444-08df4b3d5c74");
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Should_write_a_lead_created_as_a_flat_snake_case_object_with_event_type_first()
    {
        var json = Json(new LeadCreated(EventId, Tenant, Aggregate, 1, At, "api-key:abc", "Ada Obi", "ada@x.example", null, "Lagos Fresh", "web", "high", "new"), "lead.created");

        Assert.Equal(
            "{\"event_type\":\"lead.created\",\"event_id\":\"0c0f0000-62f4-9e9c-1111-08df4b3d5c74\",\"tenant_id\":\"0c0f0000-62f4-9e9c-2222-08df4b3d5c74\"," +
            "\"aggregate_id\":\"0c0f0000-62f4-9e9c-3333-08df4b3d5c74\",\"sequence\":1,\"occurred_at\":\"2026-11-30T09:15:00+01:00\",\"actor\":\"api-key:abc\"," +
            "\"name\":\"Ada Obi\",\"email\":\"ada@x.example\",\"phone\":null,\"company\":\"Lagos Fresh\",\"source\":\"web\",\"priority\":\"high\",\"status\":\"new\"}",
            json);
    }

    [Fact]
    public void Should_write_amounts_as_numbers_dates_as_iso_dates_and_missing_ids_as_null()
    {
        var json = Json(
            new OpportunityCreated(EventId, Tenant, Aggregate, 1, At, "inbound:kafka", null, Lead, 1250000.50m, "NGN", "prospect", 10m, new DateOnly(2027, 1, 31)),
            "opportunity.created");

        Assert.Equal(
            "{\"event_type\":\"opportunity.created\",\"event_id\":\"0c0f0000-62f4-9e9c-1111-08df4b3d5c74\",\"tenant_id\":\"0c0f0000-62f4-9e9c-2222-08df4b3d5c74\"," +
            "\"aggregate_id\":\"0c0f0000-62f4-9e9c-3333-08df4b3d5c74\",\"sequence\":1,\"occurred_at\":\"2026-11-30T09:15:00+01:00\",\"actor\":\"inbound:kafka\"," +
            "\"contact_id\":null,\"lead_id\":\"0c0f0000-62f4-9e9c-4444-08df4b3d5c74\",\"amount\":1250000.50,\"currency\":\"NGN\",\"stage\":\"prospect\"," +
            "\"probability\":10,\"close_date\":\"2027-01-31\"}",
            json);
    }

    [Fact]
    public void Should_give_every_bridged_event_type_a_route_and_a_distinct_topic()
    {
        var routes = new CrmEventRoutes(new CrmKafkaTopics());

        Assert.Equal(7, routes.All.Count);
        Assert.Equal(CrmEventRoutes.BridgedTypes.Order(TypeComparer.Instance), routes.All.Select(r => r.MessageType).Order(TypeComparer.Instance));
        Assert.Equal(
            ["nexus.crm.leads.converted", "nexus.crm.leads.created", "nexus.crm.leads.status_changed", "nexus.crm.opportunities.created",
             "nexus.crm.opportunities.lost", "nexus.crm.opportunities.stage_changed", "nexus.crm.opportunities.won"],
            routes.All.Select(r => r.Topic).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["lead.converted", "lead.created", "lead.status_changed", "opportunity.created", "opportunity.lost", "opportunity.stage_changed", "opportunity.won"],
            routes.All.Select(r => r.EventType).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_refuse_to_route_the_bus_only_lead_qualified_event()
    {
        var routes = new CrmEventRoutes(new CrmKafkaTopics());
        var qualified = new LeadQualified(EventId, Tenant, Aggregate, 3, At, "api-key:abc", "Ada Obi", null, "web", "high");

        Assert.Contains("LeadQualified has no Kafka topic", Assert.Throws<InvalidOperationException>(() => routes.For(qualified)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_route_each_event_to_its_configured_topic()
    {
        var routes = new CrmEventRoutes(new CrmKafkaTopics { OpportunityWon = "acme.deals.won" });
        var won = new OpportunityWon(EventId, Tenant, Aggregate, 4, At, "api-key:abc", null, 10m, "USD", At, null);

        Assert.Equal(new CrmEventRoute(typeof(OpportunityWon), "opportunity.won", "acme.deals.won"), routes.For(won));
    }

    private static string Json(ICrmEvent crmEvent, string eventType) => Encoding.UTF8.GetString(CrmEventJson.Serialize(crmEvent, eventType));

    private sealed class TypeComparer : IComparer<Type>
    {
        public static readonly TypeComparer Instance = new();

        public int Compare(Type? x, Type? y) => string.CompareOrdinal(x?.FullName, y?.FullName);
    }
}

using BacBos.Contracts.Crm;

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>Where a bridged CRM event goes: its <c>event_type</c> name and its topic.</summary>
public sealed record CrmEventRoute(Type MessageType, string EventType, string Topic);

/// <summary>
/// The seven CRM events that have a Kafka topic, with their <c>event_type</c> names. <see cref="LeadQualified"/> is bus
/// only (it shares its sequence number with the <see cref="LeadStatusChanged"/> of the same change) and is not here.
/// </summary>
public sealed class CrmEventRoutes
{
    /// <summary>The bridged contract types, in documentation order.</summary>
    public static readonly IReadOnlyList<Type> BridgedTypes =
    [
        typeof(LeadCreated), typeof(LeadStatusChanged), typeof(LeadConverted),
        typeof(OpportunityCreated), typeof(OpportunityStageChanged), typeof(OpportunityWon), typeof(OpportunityLost),
    ];

    private readonly Dictionary<Type, CrmEventRoute> _routes;

    public CrmEventRoutes(CrmKafkaTopics topics)
    {
        _routes = new CrmEventRoute[]
        {
            new(typeof(LeadCreated), "lead.created", topics.LeadCreated),
            new(typeof(LeadStatusChanged), "lead.status_changed", topics.LeadStatusChanged),
            new(typeof(LeadConverted), "lead.converted", topics.LeadConverted),
            new(typeof(OpportunityCreated), "opportunity.created", topics.OpportunityCreated),
            new(typeof(OpportunityStageChanged), "opportunity.stage_changed", topics.OpportunityStageChanged),
            new(typeof(OpportunityWon), "opportunity.won", topics.OpportunityWon),
            new(typeof(OpportunityLost), "opportunity.lost", topics.OpportunityLost),
        }.ToDictionary(r => r.MessageType);
    }

    public IReadOnlyCollection<CrmEventRoute> All => _routes.Values;

    /// <summary>The route of <paramref name="crmEvent"/>'s type; an event type without a topic is a programming error.</summary>
    public CrmEventRoute For(ICrmEvent crmEvent) =>
        _routes.TryGetValue(crmEvent.GetType(), out var route)
            ? route
            : throw new InvalidOperationException($"{crmEvent.GetType().Name} has no Kafka topic; only {string.Join(", ", BridgedTypes.Select(t => t.Name))} are bridged.");
}

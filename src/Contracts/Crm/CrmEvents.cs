namespace BacBos.Contracts.Crm;

/// <summary>
/// A fact about one CRM aggregate (a lead or an opportunity). <see cref="Sequence"/> numbers the aggregate's events
/// from 1 without gaps, so a consumer that must keep per-aggregate order (the Kafka bridge) can tell a duplicate
/// (already seen) from an early arrival (a predecessor is missing). <see cref="EventId"/> is stable across
/// redeliveries and becomes the Kafka <c>message_id</c> header.
/// </summary>
public interface ICrmEvent
{
    Guid EventId { get; }

    Guid TenantId { get; }

    /// <summary>The lead's or opportunity's id: the Kafka message key.</summary>
    Guid AggregateId { get; }

    long Sequence { get; }

    DateTimeOffset OccurredAt { get; }

    /// <summary>Who caused it: an API key id, <c>inbound:rabbitmq</c>, <c>inbound:kafka</c>.</summary>
    string Actor { get; }
}

/// <summary><c>nexus.crm.leads.created</c></summary>
public sealed record LeadCreated(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    string Name,
    string? Email,
    string? Phone,
    string? Company,
    string Source,
    string Priority,
    string Status) : ICrmEvent;

/// <summary><c>nexus.crm.leads.status_changed</c> (new → contacted → qualified; disqualified).</summary>
public sealed record LeadStatusChanged(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    string From,
    string To) : ICrmEvent;

/// <summary>
/// Bus only (not a Kafka topic): a lead became qualified — what the AI copilot consumes to suggest the next action.
/// Published together with the <see cref="LeadStatusChanged"/> of the same change (same sequence number).
/// </summary>
public sealed record LeadQualified(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    string Name,
    string? Company,
    string Source,
    string Priority) : ICrmEvent;

/// <summary><c>nexus.crm.leads.converted</c>: a qualified lead became a contact and an opportunity.</summary>
public sealed record LeadConverted(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    Guid ContactId,
    Guid OpportunityId) : ICrmEvent;

/// <summary><c>nexus.crm.opportunities.created</c></summary>
public sealed record OpportunityCreated(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    Guid? ContactId,
    Guid? LeadId,
    decimal Amount,
    string Currency,
    string Stage,
    decimal Probability,
    DateOnly? CloseDate) : ICrmEvent;

/// <summary><c>nexus.crm.opportunities.stage_changed</c></summary>
public sealed record OpportunityStageChanged(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    string From,
    string To,
    decimal Amount,
    string Currency,
    decimal Probability) : ICrmEvent;

/// <summary><c>nexus.crm.opportunities.won</c> (closed-won, probability 100 %).</summary>
public sealed record OpportunityWon(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    Guid? ContactId,
    decimal Amount,
    string Currency,
    DateTimeOffset ClosedAt,
    string? Reason) : ICrmEvent;

/// <summary><c>nexus.crm.opportunities.lost</c> (closed-lost, probability 0 %).</summary>
public sealed record OpportunityLost(
    Guid EventId,
    Guid TenantId,
    Guid AggregateId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    DateTimeOffset ClosedAt,
    string? Reason) : ICrmEvent;

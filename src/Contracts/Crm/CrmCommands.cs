namespace BacBos.Contracts.Crm;

/// <summary>
/// Asks finance to draft an invoice for a won opportunity. Finance applies the tenant's tax rules effective on the
/// draft date. Idempotent per opportunity: a repeat finds the draft and changes nothing.
/// </summary>
public sealed record RequestInvoiceDraft(
    Guid TenantId,
    Guid OpportunityId,
    Guid? ContactId,
    decimal Amount,
    string Currency,
    DateTimeOffset RequestedAt);

/// <summary>
/// A lead arriving from another system (a plain-JSON message on RabbitMQ, a Kafka record). The CRM validates it again,
/// creates the lead, and drops a repeat of the same <see cref="ClientLeadId"/> for the tenant.
/// </summary>
public sealed record SubmitInboundLead(
    Guid TenantId,
    string ClientLeadId,
    string Channel,
    string? Name,
    string? Email,
    string? Phone,
    string? Company,
    string? Source,
    string? Priority,
    string? Notes,
    DateTimeOffset ReceivedAt);

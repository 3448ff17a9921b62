using System.Text.Json.Serialization;

namespace BacBos.Consumers.Crm.Inbound;

/// <summary>
/// The documented plain-JSON lead other systems publish to the inbound exchange (no MassTransit envelope):
/// <code>
/// { "tenant_id": "…uuid…", "client_lead_id": "crm-42", "name": "Ada Obi", "email": "ada@example.com",
///   "phone": "+2348012345678", "company": "Obi Farms", "source": "website", "priority": "high", "notes": "…" }
/// </code>
/// Every member is a JSON string (or absent/null); tenant_id, client_lead_id, name and one of email/phone are required.
/// Unknown members are ignored so publishers can add their own.
/// </summary>
public sealed record InboundLeadMessage(
    [property: JsonPropertyName("tenant_id")] string? TenantId,
    [property: JsonPropertyName("client_lead_id")] string? ClientLeadId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("company")] string? Company,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("priority")] string? Priority,
    [property: JsonPropertyName("notes")] string? Notes);

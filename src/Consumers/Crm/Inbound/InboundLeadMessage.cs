using System.Text.Json;
using System.Text.Json.Serialization;
using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Crm.Inbound;

/// <summary>
/// The documented plain-JSON lead other systems publish to the inbound exchange (no MassTransit envelope):
/// <code>
/// { "tenant_id": "…uuid…", "client_lead_id": "crm-42", "name": "Ada Obi", "email": "ada@example.com",
///   "phone": "+2348012345678", "company": "Obi Farms", "source": "website", "priority": "high", "notes": "…" }
/// </code>
/// Every member is a JSON string (or absent/null); tenant_id, client_lead_id, name and one of email/phone are required.
/// Unknown members are ignored so publishers can add their own. Members are read as raw JSON values, so a member of
/// the wrong type is reported by name with the other problems instead of failing the whole message.
/// </summary>
public sealed record InboundLeadMessage(
    [property: JsonPropertyName("tenant_id")] JsonElement? TenantId,
    [property: JsonPropertyName("client_lead_id")] JsonElement? ClientLeadId,
    [property: JsonPropertyName("name")] JsonElement? Name,
    [property: JsonPropertyName("email")] JsonElement? Email,
    [property: JsonPropertyName("phone")] JsonElement? Phone,
    [property: JsonPropertyName("company")] JsonElement? Company,
    [property: JsonPropertyName("source")] JsonElement? Source,
    [property: JsonPropertyName("priority")] JsonElement? Priority,
    [property: JsonPropertyName("notes")] JsonElement? Notes)
{
    /// <summary>A member's string value; null when absent or null; an error (and null) for any other JSON type.</summary>
    public static string? Text(FieldErrors errors, string field, JsonElement? value)
    {
        if (value is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString();
        }

        errors.Add(field, $"{field} must be a JSON string, not {element.ValueKind.ToString().ToLowerInvariant()}.");
        return null;
    }

    /// <summary>A message for tests and other .NET publishers: every member a JSON string (or absent).</summary>
    public static InboundLeadMessage Of(string? tenantId, string? clientLeadId, string? name, string? email, string? phone, string? company, string? source, string? priority, string? notes) =>
        new(Json(tenantId), Json(clientLeadId), Json(name), Json(email), Json(phone), Json(company), Json(source), Json(priority), Json(notes));

    private static JsonElement? Json(string? value) => value is null ? null : JsonSerializer.SerializeToElement(value);
}

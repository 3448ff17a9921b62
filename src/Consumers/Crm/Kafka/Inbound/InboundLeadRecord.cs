using System.Text.Json;
using System.Text.Unicode;

namespace BacBos.Consumers.Crm.Kafka.Inbound;

/// <summary>The fields of an inbound lead record that passed the shape checks (values exactly as sent).</summary>
public sealed record InboundLead(
    Guid TenantId,
    string ClientLeadId,
    string? Name,
    string? Email,
    string? Phone,
    string? Company,
    string? Source,
    string? Priority,
    string? Notes);

/// <summary>A parsed record: the lead, or why it is not one (<c>dlq_code</c> and <c>dlq_reason</c>).</summary>
public sealed record InboundLeadParse(InboundLead? Lead, string? Code, string? Reason)
{
    public static InboundLeadParse Reject(string code, string reason) => new(null, code, reason);
}

/// <summary>
/// Shape checks of an inbound lead record (the value of a record on <c>Crm:Kafka:InboundTopic</c>): one JSON object,
/// snake_case, the same members as the RabbitMQ inbound message — <c>tenant_id</c> (GUID string) and
/// <c>client_lead_id</c> (non-blank string) required; <c>name</c>, <c>email</c>, <c>phone</c>, <c>company</c>,
/// <c>source</c>, <c>priority</c>, <c>notes</c> optional strings (or null). Other members are ignored (newer producers may
/// send more). Everything else — field rules, the tenant, duplicates of <c>client_lead_id</c> — is the
/// <c>SubmitInboundLead</c> consumer's job.
/// </summary>
public static class InboundLeadRecord
{
    public const string TenantId = "tenant_id";
    public const string ClientLeadId = "client_lead_id";

    /// <summary>The optional members, in documentation order.</summary>
    public static readonly IReadOnlyList<string> OptionalMembers = ["name", "email", "phone", "company", "source", "priority", "notes"];

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    public static InboundLeadParse Parse(ReadOnlyMemory<byte>? value)
    {
        if (value is not { Length: > 0 } bytes)
        {
            return InboundLeadParse.Reject("empty", "The record has no value; expected a JSON object with tenant_id and client_lead_id.");
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            return InboundLeadParse.Reject("invalid_json", "The record value is not valid UTF-8 JSON: it contains bytes that are not UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException ex)
        {
            return InboundLeadParse.Reject("invalid_json", $"The record value is not valid UTF-8 JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                // A string escape that is not valid UTF-16 (a lone surrogate such as \ud800).
                return InboundLeadParse.Reject("invalid_json", $"The record value is not valid UTF-8 JSON: {ex.Message}");
            }
        }
    }

    private static InboundLeadParse Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return InboundLeadParse.Reject("not_an_object", $"The record value is a JSON {Kind(root.ValueKind)}; expected an object with tenant_id and client_lead_id.");
        }

        if (RequiredString(root, TenantId, out var tenantText) is { } tenantProblem)
        {
            return tenantProblem;
        }

        if (!Guid.TryParse(tenantText, out var tenantId) || tenantId == Guid.Empty)
        {
            return InboundLeadParse.Reject("invalid_value", $"{TenantId} '{Shorten(tenantText)}' is not a tenant id (a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).");
        }

        if (RequiredString(root, ClientLeadId, out var clientLeadId) is { } clientProblem)
        {
            return clientProblem;
        }

        if (string.IsNullOrWhiteSpace(clientLeadId))
        {
            return InboundLeadParse.Reject("invalid_value", $"{ClientLeadId} must not be blank: it is the id duplicates are recognised by.");
        }

        var optional = new string?[OptionalMembers.Count];
        for (var i = 0; i < OptionalMembers.Count; i++)
        {
            if (!root.TryGetProperty(OptionalMembers[i], out var member) || member.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (member.ValueKind != JsonValueKind.String)
            {
                return InboundLeadParse.Reject("wrong_type", $"{OptionalMembers[i]} must be a string or null; it is a JSON {Kind(member.ValueKind)}.");
            }

            optional[i] = member.GetString();
        }

        return new InboundLeadParse(
            new InboundLead(tenantId, clientLeadId!, optional[0], optional[1], optional[2], optional[3], optional[4], optional[5], optional[6]),
            null,
            null);
    }

    private static InboundLeadParse? RequiredString(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
        {
            return InboundLeadParse.Reject("missing_field", $"{name} is required.");
        }

        if (member.ValueKind != JsonValueKind.String)
        {
            return InboundLeadParse.Reject("wrong_type", $"{name} must be a string; it is a JSON {Kind(member.ValueKind)}.");
        }

        value = member.GetString();
        return null;
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 64 ? text : text[..64] + "…";
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Crm;

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>
/// The Kafka record value of a bridged event: one flat JSON object, snake_case, <c>event_type</c> first, then every
/// field of the contract record (nulls written, so every record of a type has the same members). Times are ISO-8601
/// with offset, dates <c>yyyy-MM-dd</c>, amounts JSON numbers, ids lowercase hyphenated GUIDs. The shape follows the
/// contract records: fields are only ever added (new fields are optional), never renamed.
/// </summary>
public static class CrmEventJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Machine-read bytes, never embedded in HTML: write '+', '&', '<', non-ASCII letters as themselves.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    /// <summary>Also serves other bridged contracts (payments' <c>PaymentCompleted</c>): any record, same conventions.</summary>
    public static byte[] Serialize(object crmEvent, string eventType)
    {
        var fields = JsonSerializer.SerializeToNode(crmEvent, crmEvent.GetType(), Options)!.AsObject();
        var value = new JsonObject { ["event_type"] = eventType };
        foreach (var (name, node) in fields.ToList())
        {
            fields.Remove(name);
            value[name] = node;
        }

        return JsonSerializer.SerializeToUtf8Bytes(value, Options);
    }
}

using System.Text;
using System.Text.Json;

namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// The compact JSON form of a <see cref="TextOperation"/> (the ot.js convention): an array whose items are a positive
/// integer (retain that many code points), a string (insert it) or a negative integer (delete that many code points).
/// <c>[5, "abc", -3, 2]</c> keeps 5, inserts "abc", deletes 3 and keeps 2 of a 10-code-point text. Used on the wire
/// and in the persisted operation log.
/// </summary>
public static class OperationJson
{
    public static string Serialize(TextOperation operation)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, operation);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(operation);
        writer.WriteStartArray();
        foreach (var component in operation.Components)
        {
            switch (component.Kind)
            {
                case TextComponentKind.Retain:
                    writer.WriteNumberValue(component.Length);
                    break;
                case TextComponentKind.Delete:
                    writer.WriteNumberValue(-component.Length);
                    break;
                default:
                    writer.WriteStringValue(component.Text);
                    break;
            }
        }

        writer.WriteEndArray();
    }

    public static TextOperation Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    /// <summary>Reads the compact form; anything else is refused as <see cref="CollaborationError.MalformedOperation"/>, naming the item.</summary>
    public static TextOperation Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Malformed($"an operation is a JSON array, not {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        var components = new List<TextComponent>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            components.Add(item.ValueKind switch
            {
                JsonValueKind.String => TextComponent.Insert(item.GetString()!),
                JsonValueKind.Number when item.TryGetInt32(out var n) && n > 0 => TextComponent.Retain(n),
                JsonValueKind.Number when item.TryGetInt32(out var n) && n < 0 && n != int.MinValue => TextComponent.Delete(-n),
                _ => throw Malformed($"operation item {index} must be a positive integer (retain), a string (insert) or a negative integer (delete); it is {item.GetRawText()}"),
            });
            index++;
        }

        return TextOperation.FromComponents(components);
    }

    private static CollaborationException Malformed(string message) => new(CollaborationError.MalformedOperation, message);
}

using System.Text.Json;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Consumers.Documents.Editing;

namespace BacBos.Gateway.Documents;

/// <summary>A message from an editor: an operation batch or a selection, each based on a revision the editor has received.</summary>
public sealed record ClientMessage(string Type, long? Seq, long BaseRevision, IReadOnlyList<TextEdit>? Edits, TextOperation? Operation, Selection? Selection);

/// <summary>
/// The JSON of the collaboration WebSocket (one JSON object per text message, snake_case; positions in Unicode code
/// points). The README's "Collaboration protocol" section is the reference; this class is its implementation.
/// </summary>
public static class EditorProtocol
{
    public const string Operation = "op";
    public const string Cursor = "cursor";

    private static readonly HashSet<string> OperationMembers = ["type", "seq", "base_revision", "edits", "operation"];
    private static readonly HashSet<string> CursorMembers = ["type", "seq", "base_revision", "selection"];
    private static readonly HashSet<string> EditMembers = ["position", "delete", "insert"];
    private static readonly HashSet<string> SelectionMembers = ["anchor", "head"];

    /// <summary>Reads one client message; a malformed one yields the reason (and the <c>seq</c> when it could be read) instead.</summary>
    public static (ClientMessage? Message, string? Error, long? Seq) Parse(ReadOnlyMemory<byte> utf8)
    {
        long? seq = null;
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "a message is a JSON object", null);
            }

            if (root.TryGetProperty("seq", out var seqElement))
            {
                seq = seqElement.TryGetInt64(out var s) ? s : throw new MessageException("'seq' must be a whole number");
            }

            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new MessageException("'type' is required: op or cursor");
            var members = type switch
            {
                Operation => OperationMembers,
                Cursor => CursorMembers,
                _ => throw new MessageException($"unknown type '{type}'; use op or cursor"),
            };
            Known(root, members, string.Empty);
            var baseRevision = root.TryGetProperty("base_revision", out var b) && b.ValueKind == JsonValueKind.Number && b.TryGetInt64(out var revision)
                ? revision
                : throw new MessageException("'base_revision' is required: the last revision this editor received");
            if (type == Cursor)
            {
                return (new ClientMessage(type, seq, baseRevision, null, null, ReadSelection(root)), null, seq);
            }

            var hasEdits = root.TryGetProperty("edits", out var edits);
            var hasOperation = root.TryGetProperty("operation", out var operation);
            if (hasEdits == hasOperation)
            {
                throw new MessageException("an op carries exactly one of 'edits' (positional edits) or 'operation' (retain/insert/delete array)");
            }

            return hasEdits
                ? (new ClientMessage(type, seq, baseRevision, ReadEdits(edits), null, null), null, seq)
                : (new ClientMessage(type, seq, baseRevision, null, OperationJson.Parse(operation), null), null, seq);
        }
        catch (JsonException ex)
        {
            return (null, $"not valid JSON: {ex.Message}", seq);
        }
        catch (MessageException ex)
        {
            return (null, ex.Message, seq);
        }
        catch (CollaborationException ex)
        {
            return (null, ex.Message, seq);
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not valid Unicode (an escaped unpaired surrogate) cannot be read as text.
            return (null, $"a string is not valid text: {ex.Message}", seq);
        }
    }

    public static byte[] Write(EditorMessage message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (message)
            {
                case HelloMessage hello:
                    w.WriteString("type", "hello");
                    w.WriteString("client_id", hello.ClientId);
                    w.WriteString("document_id", hello.DocumentId);
                    w.WriteString("title", hello.Title);
                    w.WriteNumber("revision", hello.Revision);
                    w.WriteString("content", hello.Content);
                    w.WriteStartArray("editors");
                    foreach (var editor in hello.Editors)
                    {
                        w.WriteStartObject();
                        w.WriteString("client_id", editor.ClientId);
                        WriteSelection(w, editor.Selection);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStartObject("limits");
                    w.WriteNumber("max_document_length", hello.Limits.MaxDocumentLength);
                    w.WriteNumber("max_operations_per_second", hello.Limits.MaxOperationsPerSecond);
                    w.WriteNumber("operation_burst", hello.Limits.OperationBurst);
                    w.WriteNumber("max_message_bytes", hello.Limits.MaxMessageBytes);
                    w.WriteEndObject();
                    break;
                case AckMessage ack:
                    w.WriteString("type", "ack");
                    w.WriteNumber("revision", ack.Revision);
                    WriteSeq(w, ack.Seq);
                    break;
                case OperationMessage op:
                    w.WriteString("type", "op");
                    w.WriteNumber("revision", op.Revision);
                    w.WriteString("client_id", op.ClientId);
                    w.WritePropertyName("operation");
                    OperationJson.Write(w, op.Operation);
                    w.WriteStartArray("edits");
                    foreach (var edit in op.Operation.ToEdits())
                    {
                        w.WriteStartObject();
                        w.WriteNumber("position", edit.Position);
                        w.WriteNumber("delete", edit.DeleteCount);
                        w.WriteString("insert", edit.Insert);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    break;
                case CursorMessage cursor:
                    w.WriteString("type", "cursor");
                    w.WriteString("client_id", cursor.ClientId);
                    w.WriteNumber("revision", cursor.Revision);
                    WriteSelection(w, cursor.Selection);
                    break;
                case JoinedMessage joined:
                    w.WriteString("type", "joined");
                    w.WriteString("client_id", joined.ClientId);
                    break;
                case LeftMessage left:
                    w.WriteString("type", "left");
                    w.WriteString("client_id", left.ClientId);
                    break;
                case ErrorMessage error:
                    w.WriteString("type", "error");
                    w.WriteString("code", error.Code);
                    w.WriteString("message", error.Message);
                    WriteSeq(w, error.Seq);
                    if (error.RetryAfterMs is { } retry)
                    {
                        w.WriteNumber("retry_after_ms", retry);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"no JSON form for {message.GetType().Name}");
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static List<TextEdit> ReadEdits(JsonElement edits)
    {
        if (edits.ValueKind != JsonValueKind.Array)
        {
            throw new MessageException("'edits' must be an array of {position, delete, insert}");
        }

        var list = new List<TextEdit>();
        var i = 0;
        foreach (var edit in edits.EnumerateArray())
        {
            if (edit.ValueKind != JsonValueKind.Object)
            {
                throw new MessageException($"edits[{i}] must be an object {{position, delete, insert}}");
            }

            Known(edit, EditMembers, $"edits[{i}].");
            var position = Int(edit, "position", $"edits[{i}].position", required: true);
            var delete = Int(edit, "delete", $"edits[{i}].delete", required: false);
            string? insert = null;
            if (edit.TryGetProperty("insert", out var text))
            {
                insert = text.ValueKind == JsonValueKind.String ? text.GetString() : throw new MessageException($"edits[{i}].insert must be a string");
            }

            list.Add(new TextEdit(position, delete, insert ?? string.Empty));
            i++;
        }

        return list;
    }

    private static Selection ReadSelection(JsonElement root)
    {
        if (!root.TryGetProperty("selection", out var selection) || selection.ValueKind != JsonValueKind.Object)
        {
            throw new MessageException("'selection' is required: {anchor, head} in code points");
        }

        Known(selection, SelectionMembers, "selection.");
        return new Selection(Int(selection, "anchor", "selection.anchor", required: true), Int(selection, "head", "selection.head", required: true));
    }

    private static int Int(JsonElement element, string name, string path, bool required)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return required ? throw new MessageException($"'{path}' is required") : 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw new MessageException($"'{path}' must be a whole number");
    }

    private static void Known(JsonElement element, IReadOnlySet<string> members, string path)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!members.Contains(property.Name))
            {
                throw new MessageException($"unknown member '{path}{property.Name}'");
            }
        }
    }

    private static void WriteSeq(Utf8JsonWriter w, long? seq)
    {
        if (seq is { } s)
        {
            w.WriteNumber("seq", s);
        }
        else
        {
            w.WriteNull("seq");
        }
    }

    private static void WriteSelection(Utf8JsonWriter w, Selection? selection)
    {
        if (selection is not { } s)
        {
            w.WriteNull("selection");
            return;
        }

        w.WriteStartObject("selection");
        w.WriteNumber("anchor", s.Anchor);
        w.WriteNumber("head", s.Head);
        w.WriteEndObject();
    }

    private sealed class MessageException(string message) : Exception(message);
}

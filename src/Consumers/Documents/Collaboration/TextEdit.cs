namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// A positional edit as clients and editing traces express it: at <see cref="Position"/> (code points) remove
/// <see cref="DeleteCount"/> code points, then insert <see cref="Insert"/>. In a list, each edit is relative to the
/// text after the edits before it.
/// </summary>
public readonly record struct TextEdit(int Position, int DeleteCount, string Insert)
{
    public static TextEdit InsertAt(int position, string text) => new(position, 0, text);

    public static TextEdit DeleteAt(int position, int count) => new(position, count, "");
}

namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// A selection as code point positions: <see cref="Anchor"/> where it started, <see cref="Head"/> where the caret
/// is. Equal positions are a plain cursor.
/// </summary>
public readonly record struct Selection(int Anchor, int Head)
{
    public static Selection Cursor(int position) => new(position, position);

    public bool IsCursor => Anchor == Head;

    public int Start => Math.Min(Anchor, Head);

    public int End => Math.Max(Anchor, Head);
}

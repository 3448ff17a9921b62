namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>One step of a <see cref="TextOperation"/>. <see cref="Length"/> counts code points (for an insert, those of <see cref="Text"/>).</summary>
public readonly record struct TextComponent(TextComponentKind Kind, int Length, string Text)
{
    public static TextComponent Retain(int length) => new(TextComponentKind.Retain, length, "");

    public static TextComponent Delete(int length) => new(TextComponentKind.Delete, length, "");

    public static TextComponent Insert(string text) => new(TextComponentKind.Insert, CodePoints.Count(text), text);

    public override string ToString() => Kind switch
    {
        TextComponentKind.Retain => $"retain {Length}",
        TextComponentKind.Delete => $"delete {Length}",
        _ => $"insert \"{Text}\"",
    };
}

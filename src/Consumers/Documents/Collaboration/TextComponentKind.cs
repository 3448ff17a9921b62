namespace BacBos.Consumers.Documents.Collaboration;

public enum TextComponentKind
{
    /// <summary>Keep the next <see cref="TextComponent.Length"/> code points.</summary>
    Retain,

    /// <summary>Insert <see cref="TextComponent.Text"/> here.</summary>
    Insert,

    /// <summary>Remove the next <see cref="TextComponent.Length"/> code points.</summary>
    Delete,
}

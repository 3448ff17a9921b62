namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// Builds a <see cref="TextOperation"/> in canonical form: zero-length steps dropped, neighbours of the same kind
/// merged, and an insert placed before a delete at the same position (so equal edits have equal components).
/// Negative lengths and unpaired surrogates are refused with <see cref="CollaborationError.MalformedOperation"/>.
/// </summary>
public sealed class TextOperationBuilder
{
    private readonly List<TextComponent> _components = [];

    public int BaseLength { get; private set; }

    public int TargetLength { get; private set; }

    public TextOperationBuilder Retain(int length)
    {
        CheckLength(length, "retain");
        if (length > 0)
        {
            BaseLength = Add(BaseLength, length);
            TargetLength = Add(TargetLength, length);
            Append(TextComponentKind.Retain, length);
        }

        return this;
    }

    public TextOperationBuilder Delete(int length)
    {
        CheckLength(length, "delete");
        if (length > 0)
        {
            BaseLength = Add(BaseLength, length);
            Append(TextComponentKind.Delete, length);
        }

        return this;
    }

    public TextOperationBuilder Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Insert(text, CodePoints.Count(text));
    }

    /// <summary>Appends an insert whose code point count is already known (text taken from a validated operation).</summary>
    internal TextOperationBuilder Insert(string text, int codePoints)
    {
        if (codePoints == 0)
        {
            return this;
        }

        TargetLength = Add(TargetLength, codePoints);
        var last = _components.Count - 1;
        if (last >= 0 && _components[last].Kind == TextComponentKind.Insert)
        {
            _components[last] = Joined(_components[last], text, codePoints);
        }
        else if (last >= 0 && _components[last].Kind == TextComponentKind.Delete)
        {
            if (last >= 1 && _components[last - 1].Kind == TextComponentKind.Insert)
            {
                _components[last - 1] = Joined(_components[last - 1], text, codePoints);
            }
            else
            {
                _components.Insert(last, new TextComponent(TextComponentKind.Insert, codePoints, text));
            }
        }
        else
        {
            _components.Add(new TextComponent(TextComponentKind.Insert, codePoints, text));
        }

        return this;
    }

    internal TextOperationBuilder Add(TextComponent component) => component.Kind switch
    {
        TextComponentKind.Retain => Retain(component.Length),
        TextComponentKind.Delete => Delete(component.Length),
        _ => Insert(component.Text, component.Length),
    };

    public TextOperation Build() => new([.. _components], BaseLength, TargetLength);

    private void Append(TextComponentKind kind, int length)
    {
        var last = _components.Count - 1;
        if (last >= 0 && _components[last].Kind == kind)
        {
            _components[last] = _components[last] with { Length = _components[last].Length + length };
        }
        else
        {
            _components.Add(new TextComponent(kind, length, ""));
        }
    }

    private static TextComponent Joined(TextComponent insert, string text, int codePoints) =>
        new(TextComponentKind.Insert, insert.Length + codePoints, insert.Text + text);

    private static void CheckLength(int length, string kind)
    {
        if (length < 0)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"a {kind} length must not be negative; it is {length}");
        }
    }

    private static int Add(int total, int length) => length <= int.MaxValue - total
        ? total + length
        : throw new CollaborationException(CollaborationError.MalformedOperation, "the operation spans more than 2^31 - 1 code points");
}

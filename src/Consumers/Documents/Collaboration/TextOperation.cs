using System.Text;

namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// An edit of a whole text as a sequence of retain / insert / delete steps that walks the text it is based on from
/// start to end: it applies to a text of exactly <see cref="BaseLength"/> code points and yields one of
/// <see cref="TargetLength"/>. Immutable; built in canonical form by <see cref="TextOperationBuilder"/>.
/// </summary>
public sealed class TextOperation : IEquatable<TextOperation>
{
    private readonly TextComponent[] _components;

    internal TextOperation(TextComponent[] components, int baseLength, int targetLength)
    {
        _components = components;
        BaseLength = baseLength;
        TargetLength = targetLength;
    }

    public IReadOnlyList<TextComponent> Components => _components;

    /// <summary>Code points of the text this operation applies to.</summary>
    public int BaseLength { get; }

    /// <summary>Code points of the text it produces.</summary>
    public int TargetLength { get; }

    /// <summary>True when the operation changes nothing (only retains).</summary>
    public bool IsIdentity => Array.TrueForAll(_components, c => c.Kind == TextComponentKind.Retain);

    public static TextOperation Identity(int length) => new TextOperationBuilder().Retain(length).Build();

    /// <summary>Builds an operation from components received from a client, validating each (see <see cref="TextOperationBuilder"/>).</summary>
    public static TextOperation FromComponents(IEnumerable<TextComponent> components)
    {
        var builder = new TextOperationBuilder();
        foreach (var component in components)
        {
            switch (component.Kind)
            {
                case TextComponentKind.Retain:
                    builder.Retain(component.Length);
                    break;
                case TextComponentKind.Delete:
                    builder.Delete(component.Length);
                    break;
                case TextComponentKind.Insert:
                    builder.Insert(component.Text ?? throw new CollaborationException(CollaborationError.MalformedOperation, "an insert has no text"));
                    break;
                default:
                    throw new CollaborationException(CollaborationError.MalformedOperation, $"unknown component kind {(int)component.Kind}");
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// The operation equal to applying <paramref name="edits"/> one after another to a text of
    /// <paramref name="baseLength"/> code points (each edit relative to the text the previous ones left).
    /// </summary>
    public static TextOperation FromEdits(int baseLength, IEnumerable<TextEdit> edits)
    {
        if (baseLength < 0)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"the base length must not be negative; it is {baseLength}");
        }

        TextOperation? result = null;
        var length = baseLength;
        var number = 0;
        foreach (var edit in edits)
        {
            var single = Single(length, edit, number++);
            result = result is null ? single : Compose(result, single);
            length = single.TargetLength;
        }

        return result ?? Identity(baseLength);
    }

    private static TextOperation Single(int length, TextEdit edit, int number)
    {
        if (edit.Position < 0 || edit.Position > length)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"edit {number}: position {edit.Position} is outside the text, which has {length} code points");
        }

        if (edit.DeleteCount < 0)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"edit {number}: the delete count must not be negative; it is {edit.DeleteCount}");
        }

        if (edit.DeleteCount > length - edit.Position)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"edit {number}: deleting {edit.DeleteCount} code points at {edit.Position} runs past the end of the text, which has {length} code points");
        }

        var insert = edit.Insert ?? "";
        var codePoints = CodePoints.CountOrMinusOne(insert);
        if (codePoints < 0)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"edit {number}: the inserted text contains an unpaired UTF-16 surrogate");
        }

        return new TextOperationBuilder()
            .Retain(edit.Position)
            .Insert(insert, codePoints)
            .Delete(edit.DeleteCount)
            .Retain(length - edit.Position - edit.DeleteCount)
            .Build();
    }

    /// <summary>The same change as positional edits, each relative to the text the previous ones left.</summary>
    public IReadOnlyList<TextEdit> ToEdits()
    {
        var edits = new List<TextEdit>();
        var position = 0;
        foreach (var component in _components)
        {
            switch (component.Kind)
            {
                case TextComponentKind.Retain:
                    position += component.Length;
                    break;
                case TextComponentKind.Insert:
                    edits.Add(new TextEdit(position, 0, component.Text));
                    position += component.Length;
                    break;
                default:
                    var last = edits.Count - 1;
                    if (last >= 0 && edits[last].DeleteCount == 0 && edits[last].Position + CodePoints.Count(edits[last].Insert) == position)
                    {
                        edits[last] = edits[last] with { DeleteCount = component.Length };
                    }
                    else
                    {
                        edits.Add(new TextEdit(position, component.Length, ""));
                    }

                    break;
            }
        }

        return edits;
    }

    /// <summary>Applies the operation to <paramref name="text"/>, which must have exactly <see cref="BaseLength"/> code points.</summary>
    public string ApplyTo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = CodePoints.Count(text);
        if (length != BaseLength)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"the operation applies to {BaseLength} code points but the text has {length}");
        }

        var result = new StringBuilder(text.Length);
        var index = 0;
        foreach (var component in _components)
        {
            switch (component.Kind)
            {
                case TextComponentKind.Retain:
                    var end = index + CodePoints.Utf16Offset(text.AsSpan(index), component.Length);
                    result.Append(text, index, end - index);
                    index = end;
                    break;
                case TextComponentKind.Insert:
                    result.Append(component.Text);
                    break;
                default:
                    index += CodePoints.Utf16Offset(text.AsSpan(index), component.Length);
                    break;
            }
        }

        return result.ToString();
    }

    internal void ApplyTo(TextBuffer buffer)
    {
        var position = 0;
        foreach (var component in _components)
        {
            switch (component.Kind)
            {
                case TextComponentKind.Retain:
                    position += component.Length;
                    break;
                case TextComponentKind.Insert:
                    buffer.Insert(position, component.Text, component.Length);
                    position += component.Length;
                    break;
                default:
                    buffer.Delete(position, component.Length);
                    break;
            }
        }
    }

    /// <summary>One operation with the effect of <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public static TextOperation Compose(TextOperation first, TextOperation second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.TargetLength != second.BaseLength)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"cannot compose: the first operation produces {first.TargetLength} code points, the second applies to {second.BaseLength}");
        }

        var a = new Reader(first._components);
        var b = new Reader(second._components);
        var result = new TextOperationBuilder();
        while (a.HasCurrent || b.HasCurrent)
        {
            if (a.HasCurrent && a.Kind == TextComponentKind.Delete)
            {
                result.Add(a.Take(int.MaxValue));
                continue;
            }

            if (b.HasCurrent && b.Kind == TextComponentKind.Insert)
            {
                result.Add(b.Take(int.MaxValue));
                continue;
            }

            var length = Math.Min(a.Remaining, b.Remaining);
            var fromFirst = a.Take(length);
            var fromSecond = b.Take(length);
            if (fromSecond.Kind == TextComponentKind.Delete)
            {
                // Deleting a retained character deletes it; deleting a character the first operation inserted leaves nothing.
                if (fromFirst.Kind == TextComponentKind.Retain)
                {
                    result.Delete(length);
                }
            }
            else
            {
                result.Add(fromFirst);
            }
        }

        return result.Build();
    }

    /// <summary>
    /// Transforms two operations made concurrently on the same text so each can follow the other:
    /// <c>apply(apply(s, first), result.Second) == apply(apply(s, second), result.First)</c>.
    /// <paramref name="first"/> is the one earlier in the server's order. When both insert at the same position the
    /// text of the later one (<paramref name="second"/>) ends up to the left, the tie rule ShareDB uses; the server
    /// and every client apply the same rule, so they agree.
    /// </summary>
    public static (TextOperation First, TextOperation Second) Transform(TextOperation first, TextOperation second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.BaseLength != second.BaseLength)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"cannot transform: the operations apply to {first.BaseLength} and {second.BaseLength} code points");
        }

        var a = new Reader(first._components);
        var b = new Reader(second._components);
        var firstAfter = new TextOperationBuilder();
        var secondAfter = new TextOperationBuilder();
        while (a.HasCurrent || b.HasCurrent)
        {
            if (b.HasCurrent && b.Kind == TextComponentKind.Insert)
            {
                var insert = b.Take(int.MaxValue);
                firstAfter.Retain(insert.Length);
                secondAfter.Add(insert);
                continue;
            }

            if (a.HasCurrent && a.Kind == TextComponentKind.Insert)
            {
                var insert = a.Take(int.MaxValue);
                firstAfter.Add(insert);
                secondAfter.Retain(insert.Length);
                continue;
            }

            var length = Math.Min(a.Remaining, b.Remaining);
            var kindA = a.Take(length).Kind;
            var kindB = b.Take(length).Kind;
            if (kindA == TextComponentKind.Retain && kindB == TextComponentKind.Retain)
            {
                firstAfter.Retain(length);
                secondAfter.Retain(length);
            }
            else if (kindA == TextComponentKind.Delete && kindB == TextComponentKind.Retain)
            {
                firstAfter.Delete(length);
            }
            else if (kindA == TextComponentKind.Retain)
            {
                secondAfter.Delete(length);
            }

            // Both deleted the same characters: neither needs to delete them again.
        }

        return (firstAfter.Build(), secondAfter.Build());
    }

    public bool Equals(TextOperation? other) =>
        other is not null && _components.AsSpan().SequenceEqual(other._components);

    public override bool Equals(object? obj) => Equals(obj as TextOperation);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var component in _components)
        {
            hash.Add(component);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _components) + "]";

    /// <summary>Walks the components of an operation, handing out whole or partial steps.</summary>
    private struct Reader(TextComponent[] components)
    {
        private int _index;
        private int _offset;

        public readonly bool HasCurrent => _index < components.Length;

        public readonly TextComponentKind Kind => components[_index].Kind;

        public readonly int Remaining => HasCurrent ? components[_index].Length - _offset : 0;

        public TextComponent Take(int most)
        {
            if (!HasCurrent)
            {
                throw new InvalidOperationException("the operations' lengths were checked; a reader cannot run out early");
            }

            var current = components[_index];
            var length = Math.Min(most, current.Length - _offset);
            var piece = current.Kind == TextComponentKind.Insert
                ? new TextComponent(TextComponentKind.Insert, length, CodePoints.Slice(current.Text, _offset, length, current.Length))
                : new TextComponent(current.Kind, length, "");
            _offset += length;
            if (_offset == current.Length)
            {
                _index++;
                _offset = 0;
            }

            return piece;
        }
    }
}

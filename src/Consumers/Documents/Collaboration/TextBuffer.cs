using System.Text;

namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// The document text as a list of chunks of at most <see cref="MaxChunk"/> UTF-16 units, each knowing its code
/// point count, so an edit costs a walk over chunk counts plus a copy inside one chunk instead of rebuilding the
/// whole string. The walk starts from the chunk of the previous edit (editing is local). Chunks never split a
/// surrogate pair.
/// </summary>
internal sealed class TextBuffer
{
    private const int MaxChunk = 2048;
    private const int FillChunk = 1024;
    private const int SmallChunk = 256;

    private readonly List<Chunk> _chunks = [];
    private int _cachedIndex;
    private int _cachedStart;

    public TextBuffer(string text)
    {
        InsertChunks(0, text);
        Length = CodePoints.Count(text);
    }

    /// <summary>Code points in the text.</summary>
    public int Length { get; private set; }

    public void Insert(int position, string text, int codePoints)
    {
        if (codePoints == 0)
        {
            return;
        }

        if (_chunks.Count == 0)
        {
            InsertChunks(0, text);
        }
        else
        {
            var (index, offset) = Locate(position, preferEarlier: true);
            var chunk = _chunks[index];
            if (chunk.Units + text.Length <= MaxChunk)
            {
                chunk.Insert(offset, text, codePoints);
            }
            else
            {
                // Split the chunk at the insertion point and put the new text between the halves (dropping an empty one).
                var tail = chunk.SplitAt(offset);
                var at = index + 1;
                if (chunk.Units == 0)
                {
                    _chunks.RemoveAt(index);
                    at = index;
                }

                var added = InsertChunks(at, text);
                if (tail.Units > 0)
                {
                    _chunks.Insert(at + added, tail);
                }

                ResetCache();
            }
        }

        Length += codePoints;
    }

    public void Delete(int position, int codePoints)
    {
        var remaining = codePoints;
        while (remaining > 0)
        {
            var (index, offset) = Locate(position, preferEarlier: false);
            var chunk = _chunks[index];
            var count = Math.Min(remaining, chunk.CodePoints - offset);
            chunk.Remove(offset, count);
            remaining -= count;
            if (chunk.Units == 0)
            {
                _chunks.RemoveAt(index);
                ResetCache();
            }
            else if (chunk.Units < SmallChunk && index + 1 < _chunks.Count && chunk.Units + _chunks[index + 1].Units <= FillChunk)
            {
                chunk.Append(_chunks[index + 1]);
                _chunks.RemoveAt(index + 1);
            }
        }

        Length -= codePoints;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var chunk in _chunks)
        {
            text.Append(chunk.Span);
        }

        return text.ToString();
    }

    /// <summary>
    /// The chunk holding code point <paramref name="position"/> and the offset in it. A position on a boundary
    /// belongs to the earlier chunk (its end) when <paramref name="preferEarlier"/>, else to the later one.
    /// </summary>
    private (int Index, int Offset) Locate(int position, bool preferEarlier)
    {
        var index = _cachedIndex;
        var start = _cachedStart;
        while (index > 0 && (position < start || (position == start && preferEarlier)))
        {
            index--;
            start -= _chunks[index].CodePoints;
        }

        while (index < _chunks.Count - 1 && (position > start + _chunks[index].CodePoints || (position == start + _chunks[index].CodePoints && !preferEarlier)))
        {
            start += _chunks[index].CodePoints;
            index++;
        }

        _cachedIndex = index;
        _cachedStart = start;
        return (index, position - start);
    }

    private void ResetCache()
    {
        _cachedIndex = 0;
        _cachedStart = 0;
    }

    /// <summary>Inserts <paramref name="text"/> as new chunks at list index <paramref name="index"/>; returns how many.</summary>
    private int InsertChunks(int index, string text)
    {
        var added = 0;
        var from = 0;
        while (from < text.Length)
        {
            var take = Math.Min(FillChunk, text.Length - from);
            if (from + take < text.Length && char.IsHighSurrogate(text[from + take - 1]))
            {
                take--;
            }

            _chunks.Insert(index + added, new Chunk(text.AsSpan(from, take)));
            added++;
            from += take;
        }

        ResetCache();
        return added;
    }

    private sealed class Chunk
    {
        private char[] _chars;

        public Chunk(ReadOnlySpan<char> text)
        {
            _chars = new char[Math.Max(text.Length, 16)];
            text.CopyTo(_chars);
            Units = text.Length;
            CodePoints = Collaboration.CodePoints.Count(text);
        }

        public int Units { get; private set; }

        public int CodePoints { get; private set; }

        public ReadOnlySpan<char> Span => _chars.AsSpan(0, Units);

        public void Insert(int offset, string text, int codePoints)
        {
            var at = Utf16(offset);
            if (Units + text.Length > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Min(MaxChunk, Math.Max(_chars.Length * 2, Units + text.Length)));
            }

            Array.Copy(_chars, at, _chars, at + text.Length, Units - at);
            text.CopyTo(_chars.AsSpan(at));
            Units += text.Length;
            CodePoints += codePoints;
        }

        public void Remove(int offset, int count)
        {
            var from = Utf16(offset);
            var to = CodePoints == Units ? from + count : from + Collaboration.CodePoints.Utf16Offset(_chars.AsSpan(from, Units - from), count);
            Array.Copy(_chars, to, _chars, from, Units - to);
            Units -= to - from;
            CodePoints -= count;
        }

        public void Append(Chunk next)
        {
            if (Units + next.Units > _chars.Length)
            {
                Array.Resize(ref _chars, Units + next.Units);
            }

            next.Span.CopyTo(_chars.AsSpan(Units));
            Units += next.Units;
            CodePoints += next.CodePoints;
        }

        /// <summary>Cuts the chunk at code point <paramref name="offset"/>; this keeps the head, the result is the tail.</summary>
        public Chunk SplitAt(int offset)
        {
            var at = Utf16(offset);
            var tail = new Chunk(_chars.AsSpan(at, Units - at));
            Units = at;
            CodePoints = offset;
            return tail;
        }

        private int Utf16(int offset) => Collaboration.CodePoints.Utf16Offset(Span, offset, CodePoints);
    }
}

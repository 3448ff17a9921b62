namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// Positions and lengths in the collaboration engine count Unicode code points (scalar values): a surrogate pair
/// is one position, so no position can fall between its halves. Text is kept as .NET strings (UTF-16); these
/// helpers convert between the two units. Text with an unpaired surrogate is not valid document text.
/// </summary>
public static class CodePoints
{
    /// <summary>The number of code points in <paramref name="text"/>, or -1 when it holds an unpaired surrogate.</summary>
    public static int CountOrMinusOne(ReadOnlySpan<char> text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return -1;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return -1;
            }

            count++;
        }

        return count;
    }

    /// <summary>The number of code points in well-formed <paramref name="text"/>.</summary>
    public static int Count(ReadOnlySpan<char> text)
    {
        var count = CountOrMinusOne(text);
        return count >= 0
            ? count
            : throw new CollaborationException(CollaborationError.MalformedOperation, "the text contains an unpaired UTF-16 surrogate; document text must be well-formed Unicode");
    }

    /// <summary>The UTF-16 index at which code point number <paramref name="codePoints"/> of well-formed <paramref name="text"/> starts.</summary>
    public static int Utf16Offset(ReadOnlySpan<char> text, int codePoints)
    {
        var index = 0;
        for (var seen = 0; seen < codePoints; seen++)
        {
            index += char.IsHighSurrogate(text[index]) ? 2 : 1;
        }

        return index;
    }

    /// <summary>
    /// <see cref="Utf16Offset(ReadOnlySpan{char}, int)"/> for text known to hold <paramref name="totalCodePoints"/>
    /// code points: when that equals its UTF-16 length there is no surrogate and no scan.
    /// </summary>
    internal static int Utf16Offset(ReadOnlySpan<char> text, int codePoints, int totalCodePoints) =>
        totalCodePoints == text.Length ? codePoints : Utf16Offset(text, codePoints);

    /// <summary>The part of well-formed <paramref name="text"/> (of <paramref name="totalCodePoints"/> code points) from code point <paramref name="start"/>, <paramref name="count"/> code points long.</summary>
    internal static string Slice(string text, int start, int count, int totalCodePoints)
    {
        if (start == 0 && count == totalCodePoints)
        {
            return text;
        }

        if (totalCodePoints == text.Length)
        {
            return text.Substring(start, count);
        }

        var from = Utf16Offset(text, start);
        return text.Substring(from, Utf16Offset(text.AsSpan(from), count));
    }
}

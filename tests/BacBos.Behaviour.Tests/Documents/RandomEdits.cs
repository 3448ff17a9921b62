using System.Text;
using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>Seeded random texts and operations, with surrogate pairs mixed in so code point handling is exercised.</summary>
internal static class RandomEdits
{
    private static readonly string[] Characters = ["a", "b", "c", "d", " ", "é", "中", "😀", "𝄞", "🎉"];

    public static string Text(Random random, int codePoints)
    {
        var text = new StringBuilder();
        for (var i = 0; i < codePoints; i++)
        {
            text.Append(Characters[random.Next(Characters.Length)]);
        }

        return text.ToString();
    }

    /// <summary>A random operation on a text of <paramref name="baseLength"/> code points.</summary>
    public static TextOperation Operation(Random random, int baseLength, bool allowDeletes = true)
    {
        var builder = new TextOperationBuilder();
        var left = baseLength;
        while (left > 0 || random.Next(3) == 0)
        {
            switch (random.Next(allowDeletes ? 3 : 2))
            {
                case 0:
                    builder.Insert(Text(random, random.Next(1, 4)));
                    break;
                case 1:
                    var kept = Math.Min(left, random.Next(1, 6));
                    builder.Retain(kept);
                    left -= kept;
                    break;
                default:
                    var removed = Math.Min(left, random.Next(1, 4));
                    builder.Delete(removed);
                    left -= removed;
                    break;
            }

            if (left == 0 && random.Next(2) == 0)
            {
                break;
            }
        }

        return builder.Build();
    }
}

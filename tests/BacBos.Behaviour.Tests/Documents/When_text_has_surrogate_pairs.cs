using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>Positions count code points: a surrogate pair (an emoji, a musical symbol) is one position and is never split.</summary>
public class When_text_has_surrogate_pairs
{
    [Fact]
    public void Should_count_and_address_each_pair_as_one_position()
    {
        var document = new CollaborativeDocument("a😀b𝄞c");

        document.Apply("alice", 0, [TextEdit.DeleteAt(1, 1)]);
        document.Apply("alice", 1, [TextEdit.InsertAt(3, "🎉")]);

        Assert.Equal("ab𝄞🎉c", document.GetContent());
        Assert.Equal(5, document.Length);
    }

    [Fact]
    public void Should_merge_concurrent_edits_around_pairs()
    {
        var document = new CollaborativeDocument("😀😀😀");

        document.Apply("alice", 0, [TextEdit.DeleteAt(1, 1)]);
        var bob = document.Apply("bob", 0, [TextEdit.InsertAt(2, "中")]);

        Assert.Equal("😀中😀", document.GetContent());
        Assert.Equal([new TextEdit(1, 0, "中")], bob.Operation.ToEdits());
    }

    [Fact]
    public void Should_refuse_a_position_that_only_exists_in_utf16()
    {
        var document = new CollaborativeDocument("😀");

        var error = Assert.Throws<CollaborationException>(() => document.Apply("alice", 0, [TextEdit.InsertAt(2, "x")]));

        Assert.Equal(CollaborationError.MalformedOperation, error.Error);
        Assert.Equal("😀", document.GetContent());
    }

    [Fact]
    public void Should_keep_long_inserts_at_the_start_middle_and_end_in_order()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 1_500));
        var document = new CollaborativeDocument(new string('x', 3_000));

        document.Apply("alice", 0, [TextEdit.InsertAt(0, emoji)]);
        document.Apply("alice", 1, [TextEdit.InsertAt(3_000, "|" + emoji)]);
        document.Apply("alice", 2, [TextEdit.InsertAt(document.Length, emoji), TextEdit.DeleteAt(1_499, 2)]);

        var expected = emoji[..^2] + new string('x', 1_499) + "|" + emoji + new string('x', 1_500) + emoji;
        Assert.Equal(expected, document.GetContent());
        Assert.Equal(CodePoints.Count(expected), document.Length);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Should_match_a_plain_string_through_thousands_of_edits_on_long_text(int seed)
    {
        // Long enough for the text to span many chunks, so edits cross chunk boundaries and split and merge chunks.
        var random = new Random(seed);
        var expected = RandomEdits.Text(random, 6_000);
        var document = new CollaborativeDocument(expected);

        for (var revision = 0; revision < 3_000; revision++)
        {
            var length = CodePoints.Count(expected);
            var position = random.Next(length + 1);
            var edit = random.Next(4) switch
            {
                0 => TextEdit.DeleteAt(position, Math.Min(length - position, random.Next(1, 3_000))),
                1 => TextEdit.InsertAt(position, RandomEdits.Text(random, random.Next(1, 2_500))),
                _ => new TextEdit(position, Math.Min(length - position, random.Next(2)), RandomEdits.Text(random, random.Next(1, 5))),
            };

            var operation = TextOperation.FromEdits(length, [edit]);
            expected = operation.ApplyTo(expected);
            document.Apply("alice", revision, operation);

            Assert.Equal(CodePoints.Count(expected), document.Length);
        }

        Assert.Equal(expected, document.GetContent());
    }
}

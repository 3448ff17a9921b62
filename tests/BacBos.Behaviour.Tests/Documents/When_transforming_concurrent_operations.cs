using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

public class When_transforming_concurrent_operations
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Should_converge_whichever_operation_is_applied_first(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 2_000; round++)
        {
            var text = RandomEdits.Text(random, random.Next(0, 20));
            var length = CodePoints.Count(text);
            var first = RandomEdits.Operation(random, length);
            var second = RandomEdits.Operation(random, length);

            var (firstAfter, secondAfter) = TextOperation.Transform(first, second);

            Assert.Equal(secondAfter.ApplyTo(first.ApplyTo(text)), firstAfter.ApplyTo(second.ApplyTo(text)));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Should_compose_into_one_operation_with_the_same_effect(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 2_000; round++)
        {
            var text = RandomEdits.Text(random, random.Next(0, 20));
            var first = RandomEdits.Operation(random, CodePoints.Count(text));
            var second = RandomEdits.Operation(random, first.TargetLength);

            var composed = TextOperation.Compose(first, second);

            Assert.Equal(second.ApplyTo(first.ApplyTo(text)), composed.ApplyTo(text));
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void Should_round_trip_between_operations_and_positional_edits(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 2_000; round++)
        {
            var text = RandomEdits.Text(random, random.Next(0, 20));
            var operation = RandomEdits.Operation(random, CodePoints.Count(text));

            var edits = operation.ToEdits();
            var stepByStep = edits.Aggregate(text, (current, edit) => TextOperation.FromEdits(CodePoints.Count(current), [edit]).ApplyTo(current));

            Assert.Equal(operation.ApplyTo(text), stepByStep);
            Assert.Equal(operation, TextOperation.FromEdits(CodePoints.Count(text), edits));
        }
    }

    [Fact]
    public void Should_put_the_later_operations_text_first_when_both_insert_at_the_same_position()
    {
        var earlier = TextOperation.FromEdits(4, [TextEdit.InsertAt(2, "X")]);
        var later = TextOperation.FromEdits(4, [TextEdit.InsertAt(2, "Y")]);

        var (earlierAfter, laterAfter) = TextOperation.Transform(earlier, later);

        Assert.Equal("abYXcd", laterAfter.ApplyTo(earlier.ApplyTo("abcd")));
        Assert.Equal("abYXcd", earlierAfter.ApplyTo(later.ApplyTo("abcd")));
    }

    [Fact]
    public void Should_keep_text_inserted_inside_a_range_deleted_concurrently()
    {
        var deletion = TextOperation.FromEdits(6, [TextEdit.DeleteAt(1, 4)]);
        var insertion = TextOperation.FromEdits(6, [TextEdit.InsertAt(3, "XY")]);

        var (deletionAfter, insertionAfter) = TextOperation.Transform(deletion, insertion);

        Assert.Equal("aXYf", insertionAfter.ApplyTo(deletion.ApplyTo("abcdef")));
        Assert.Equal("aXYf", deletionAfter.ApplyTo(insertion.ApplyTo("abcdef")));
    }

    [Fact]
    public void Should_delete_overlapping_ranges_only_once()
    {
        var first = TextOperation.FromEdits(6, [TextEdit.DeleteAt(1, 3)]);
        var second = TextOperation.FromEdits(6, [TextEdit.DeleteAt(2, 3)]);

        var (firstAfter, secondAfter) = TextOperation.Transform(first, second);

        Assert.Equal("af", secondAfter.ApplyTo(first.ApplyTo("abcdef")));
        Assert.Equal("af", firstAfter.ApplyTo(second.ApplyTo("abcdef")));
        Assert.Equal([TextComponent.Retain(1), TextComponent.Delete(1), TextComponent.Retain(1)], secondAfter.Components);
    }

    [Fact]
    public void Should_refuse_to_transform_operations_on_texts_of_different_lengths()
    {
        var error = Assert.Throws<CollaborationException>(() =>
            TextOperation.Transform(TextOperation.Identity(3), TextOperation.Identity(4)));

        Assert.Equal(CollaborationError.MalformedOperation, error.Error);
    }

    [Fact]
    public void Should_build_operations_in_canonical_form()
    {
        var built = new TextOperationBuilder().Retain(2).Retain(1).Delete(1).Insert("x").Insert("").Delete(2).Build();

        Assert.Equal(
            [TextComponent.Retain(3), TextComponent.Insert("x"), TextComponent.Delete(3)],
            built.Components);
        Assert.Equal(6, built.BaseLength);
        Assert.Equal(4, built.TargetLength);
    }
}

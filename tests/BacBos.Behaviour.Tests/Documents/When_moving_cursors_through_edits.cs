using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

public class When_moving_cursors_through_edits
{
    [Theory]
    [InlineData(5, 2, 0, "xy", false, 7)]   // insert before the cursor
    [InlineData(5, 7, 0, "xy", false, 5)]   // insert after the cursor
    [InlineData(5, 5, 0, "xy", true, 7)]    // own insert at the cursor: typing moves it
    [InlineData(5, 5, 0, "xy", false, 5)]   // a collaborator's insert at the cursor leaves it
    [InlineData(5, 1, 2, "", false, 3)]     // delete before the cursor
    [InlineData(5, 3, 4, "", false, 3)]     // delete around the cursor: it moves to where the range was
    [InlineData(5, 5, 2, "", false, 5)]     // delete right after the cursor
    [InlineData(5, 3, 4, "new", false, 6)]  // replace around the cursor: it ends after the new text
    public void Should_shift_a_cursor_as_the_text_around_it_changes(int cursor, int position, int deleteCount, string insert, bool own, int expected)
    {
        var operation = TextOperation.FromEdits(10, [new TextEdit(position, deleteCount, insert)]);

        Assert.Equal(expected, CursorTransform.Transform(cursor, operation, own));
    }

    [Fact]
    public void Should_not_grow_a_selection_by_text_inserted_at_its_edges()
    {
        var atStart = TextOperation.FromEdits(10, [TextEdit.InsertAt(2, "ab")]);
        var atEnd = TextOperation.FromEdits(10, [TextEdit.InsertAt(6, "ab")]);

        Assert.Equal(new Selection(4, 8), CursorTransform.Transform(new Selection(2, 6), atStart, isOwnOperation: false));
        Assert.Equal(new Selection(2, 6), CursorTransform.Transform(new Selection(2, 6), atEnd, isOwnOperation: false));
        Assert.Equal(new Selection(6, 2), CursorTransform.Transform(new Selection(6, 2), atEnd, isOwnOperation: false));
    }

    [Fact]
    public void Should_collapse_a_selection_whose_text_was_deleted()
    {
        var deletion = TextOperation.FromEdits(10, [TextEdit.DeleteAt(1, 8)]);

        Assert.Equal(Selection.Cursor(1), CursorTransform.Transform(new Selection(3, 6), deletion, isOwnOperation: false));
    }

    [Fact]
    public void Should_count_positions_in_code_points()
    {
        // "a😀b": the emoji is one position although it is two UTF-16 units.
        var insertBeforeEmoji = TextOperation.FromEdits(3, [TextEdit.InsertAt(1, "🎉")]);

        Assert.Equal(3, CursorTransform.Transform(2, insertBeforeEmoji, isOwnOperation: false));
        Assert.Equal("a🎉😀b", insertBeforeEmoji.ApplyTo("a😀b"));
    }

    [Fact]
    public void Should_move_a_selection_reported_against_an_old_revision_to_the_current_text()
    {
        var server = new CollaborativeDocument("hello world");
        server.Apply("alice", 0, [TextEdit.InsertAt(0, "Say: ")]);
        server.Apply("alice", 1, [TextEdit.DeleteAt(5, 1), TextEdit.InsertAt(5, "H")]);

        // Bob, still at revision 0, has selected "world".
        var moved = server.TransformSelection("bob", 0, new Selection(6, 11));

        Assert.Equal(new Selection(11, 16), moved);
        Assert.Equal("world", server.GetContent()[moved.Start..moved.End]);
    }

    [Fact]
    public void Should_include_the_clients_own_operations_in_flight()
    {
        var server = new CollaborativeDocument("hello world");
        server.Apply("bob", 0, [TextEdit.InsertAt(11, "!")]);
        server.Apply("alice", 0, [TextEdit.InsertAt(0, ">> ")]);
        server.Apply("carol", 1, [TextEdit.InsertAt(0, "# ")]);

        // Bob has not seen the acknowledgement of his "!" nor the others' edits; his caret is after the "!".
        var moved = server.TransformSelection("bob", 0, Selection.Cursor(12));

        Assert.Equal("# >> hello world!", server.GetContent());
        Assert.Equal(Selection.Cursor(17), moved);
    }
}

using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>Every refused request leaves the text, the revision and the log exactly as they were.</summary>
public class When_an_operation_is_malformed
{
    public static TheoryData<string, int, int, string, CollaborationError> BadEdits => new()
    {
        { "position past the end", 14, 0, "x", CollaborationError.MalformedOperation },
        { "negative position", -1, 0, "x", CollaborationError.MalformedOperation },
        { "negative delete count", 2, -3, "", CollaborationError.MalformedOperation },
        { "delete past the end", 10, 4, "", CollaborationError.MalformedOperation },
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public void Should_refuse_the_edit_and_change_nothing(string because, int position, int deleteCount, string insert, CollaborationError expected)
    {
        var document = EditedDocument();

        var error = Assert.Throws<CollaborationException>(() =>
            document.Apply("bob", 1, [TextEdit.InsertAt(0, "ok"), new TextEdit(position, deleteCount, insert)]));

        Assert.True(error.Error == expected, because);
        Assert.Contains("edit 1", error.Message, StringComparison.Ordinal);
        AssertUnchanged(document);
    }

    [Theory]
    [InlineData(0xD83D)]
    [InlineData(0xDE00)]
    public void Should_refuse_text_with_an_unpaired_surrogate_and_change_nothing(int surrogate)
    {
        // Built here rather than passed as theory data: test discovery would replace the lone surrogate with U+FFFD.
        var document = EditedDocument();
        var insert = "a" + (char)surrogate + "b";

        var error = Assert.Throws<CollaborationException>(() =>
            document.Apply("bob", 1, [TextEdit.InsertAt(0, "ok"), TextEdit.InsertAt(1, insert)]));

        Assert.Equal(CollaborationError.MalformedOperation, error.Error);
        Assert.Contains("edit 1: the inserted text contains an unpaired UTF-16 surrogate", error.Message, StringComparison.Ordinal);
        AssertUnchanged(document);
    }

    [Fact]
    public void Should_refuse_a_base_revision_in_the_future()
    {
        var document = EditedDocument();

        var error = Assert.Throws<CollaborationException>(() => document.Apply("bob", 5, [TextEdit.InsertAt(0, "x")]));

        Assert.Equal(CollaborationError.RevisionInFuture, error.Error);
        Assert.Contains("newer than the document's revision 2", error.Message, StringComparison.Ordinal);
        AssertUnchanged(document);
    }

    [Fact]
    public void Should_refuse_an_operation_for_a_text_of_another_length()
    {
        var document = EditedDocument();

        var error = Assert.Throws<CollaborationException>(() => document.Apply("bob", 2, TextOperation.Identity(9)));

        Assert.Equal(CollaborationError.MalformedOperation, error.Error);
        Assert.Contains("applies to 9 code points, but the text client bob edited at revision 2 has 10", error.Message, StringComparison.Ordinal);
        AssertUnchanged(document);
    }

    [Fact]
    public void Should_refuse_negative_lengths_in_components_from_a_client()
    {
        var error = Assert.Throws<CollaborationException>(() =>
            TextOperation.FromComponents([TextComponent.Retain(2), new TextComponent(TextComponentKind.Delete, -1, "")]));

        Assert.Equal(CollaborationError.MalformedOperation, error.Error);
        Assert.Contains("must not be negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_base_revision_that_goes_back_for_the_same_client()
    {
        var document = EditedDocument();
        document.Apply("bob", 2, [TextEdit.InsertAt(0, "x")]);

        var error = Assert.Throws<CollaborationException>(() => document.Apply("bob", 1, [TextEdit.InsertAt(0, "y")]));

        Assert.Equal(CollaborationError.ProtocolViolation, error.Error);
        Assert.Equal("xhello worl", document.GetContent());
        Assert.Equal(3, document.Revision);
    }

    [Fact]
    public void Should_refuse_a_selection_outside_the_text()
    {
        var document = EditedDocument();

        var error = Assert.Throws<CollaborationException>(() => document.TransformSelection("bob", 1, new Selection(0, 12)));

        Assert.Equal(CollaborationError.MalformedOperation, error.Error);
        AssertUnchanged(document);
    }

    /// <summary>
    /// Revision 1 is "hello world" (11 code points), revision 2 "hello worl" (10). The bad edits come second in a batch
    /// based on revision 1, after a valid "ok" at the start (13 code points by then).
    /// </summary>
    private static CollaborativeDocument EditedDocument()
    {
        var document = new CollaborativeDocument("hello");
        document.Apply("alice", 0, [TextEdit.InsertAt(5, " world")]);
        document.Apply("alice", 1, [TextEdit.DeleteAt(10, 1)]);
        return document;
    }

    private static void AssertUnchanged(CollaborativeDocument document)
    {
        Assert.Equal("hello worl", document.GetContent());
        Assert.Equal(2, document.Revision);
        Assert.Equal(2, document.GetOperationsSince(0).Count);
    }
}

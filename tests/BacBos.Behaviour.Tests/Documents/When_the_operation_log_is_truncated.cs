using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

public class When_the_operation_log_is_truncated
{
    [Fact]
    public void Should_ask_clients_based_before_the_retained_window_to_resync()
    {
        var document = Typed(retainedRevisions: 5, keystrokes: 10);

        var error = Assert.Throws<CollaborationException>(() => document.Apply("bob", 4, [TextEdit.InsertAt(0, "x")]));

        Assert.Equal(CollaborationError.ResyncRequired, error.Error);
        Assert.Contains("older than the retained log (oldest base revision 5)", error.Message, StringComparison.Ordinal);
        Assert.Equal("0123456789", document.GetContent());
        Assert.Equal(10, document.Revision);
    }

    [Fact]
    public void Should_still_merge_an_operation_based_on_the_oldest_retained_revision()
    {
        var document = Typed(retainedRevisions: 5, keystrokes: 10);

        // Bob typed at the end of "01234"; Alice's "5" went to the same place concurrently and reached the server
        // first, so Bob's later text goes left of it.
        var applied = document.Apply("bob", 5, [TextEdit.InsertAt(5, "|")]);

        Assert.Equal(11, applied.Revision);
        Assert.Equal("01234|56789", document.GetContent());
    }

    [Fact]
    public void Should_keep_only_the_requested_revisions_after_a_snapshot()
    {
        var document = Typed(retainedRevisions: CollaborativeDocument.DefaultRetainedRevisions, keystrokes: 10);
        var snapshot = document.TakeSnapshot();

        document.TruncateLog(retainedRevisions: 2);

        Assert.Equal(8, document.OldestBaseRevision);
        Assert.Equal(2, document.GetOperationsSince(8).Count);
        Assert.Equal(CollaborationError.ResyncRequired, Assert.Throws<CollaborationException>(() => document.GetOperationsSince(7)).Error);
        Assert.Equal(new DocumentSnapshot("0123456789", 10), snapshot);
    }

    [Fact]
    public void Should_resync_a_client_whose_in_flight_operations_were_forgotten()
    {
        var document = new CollaborativeDocument("abc");
        document.Apply("bob", 0, [TextEdit.InsertAt(3, "d")]);
        document.ForgetClient("bob");

        // Bob has not seen the acknowledgement of "d", so his next edit is based on revision 0 plus "d".
        var error = Assert.Throws<CollaborationException>(() => document.Apply("bob", 0, [TextEdit.InsertAt(4, "e")]));

        Assert.Equal(CollaborationError.ResyncRequired, error.Error);
        Assert.Equal("abcd", document.GetContent());
    }

    [Fact]
    public void Should_restore_a_snapshot_and_its_persisted_log()
    {
        var original = new CollaborativeDocument("draft");
        var snapshot = original.TakeSnapshot();
        var persisted = new[]
        {
            original.Apply("alice", 0, [TextEdit.InsertAt(0, "first ")]),
            original.Apply("bob", 0, [TextEdit.InsertAt(5, "!")]),
        };

        var restored = CollaborativeDocument.FromSnapshot(snapshot);
        foreach (var entry in persisted)
        {
            restored.ApplyCommitted(entry);
        }

        Assert.Equal("first draft!", restored.GetContent());
        Assert.Equal(original.GetContent(), restored.GetContent());
        Assert.Equal(2, restored.Revision);
        Assert.Equal(CollaborationError.ProtocolViolation, Assert.Throws<CollaborationException>(() => restored.ApplyCommitted(persisted[0])).Error);
    }

    [Fact]
    public void Should_resync_a_client_based_before_a_restored_snapshot()
    {
        var document = CollaborativeDocument.FromSnapshot(new DocumentSnapshot("text", 40));

        Assert.Equal(CollaborationError.ResyncRequired, Assert.Throws<CollaborationException>(() => document.Apply("bob", 39, [TextEdit.InsertAt(0, "x")])).Error);
        Assert.Equal(41, document.Apply("bob", 40, [TextEdit.InsertAt(0, "x")]).Revision);
    }

    private static CollaborativeDocument Typed(int retainedRevisions, int keystrokes)
    {
        var document = new CollaborativeDocument("", 0, retainedRevisions);
        for (var i = 0; i < keystrokes; i++)
        {
            document.Apply("alice", i, [TextEdit.InsertAt(i, i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }

        return document;
    }
}

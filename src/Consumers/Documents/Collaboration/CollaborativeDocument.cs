namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// The server side of real-time editing for one document: operational transformation with a server-assigned total
/// order (the Jupiter / Google Wave shape). It holds the text, the revision (how many operations have been applied
/// since revision 0) and the retained tail of the operation log.
/// <para>
/// A client sends an operation with the last revision it has received (<c>baseRevision</c>). The operation applies
/// to the server text at that revision followed by the client's own operations the client has sent but not yet seen
/// acknowledged; a client with nothing in flight simply edits the text of <c>baseRevision</c>. The server transforms
/// it past every operation of other clients after <c>baseRevision</c>, applies it, gives it the next revision and
/// returns the <see cref="AppliedOperation"/> to persist, acknowledge and broadcast. So that a client may send again
/// before its previous operations are acknowledged (pipelining), the server keeps per client, as in the Jupiter
/// system, the other clients' operations that client may not have seen yet, already transformed past its own later
/// operations; an incoming operation is transformed past exactly those. A client that never pipelines needs no such
/// state: its queue is just the log after its base revision (see <see cref="CollaborativeClient"/> for the client half
/// of the protocol).
/// </para>
/// <para>
/// Every refusal is a <see cref="CollaborationException"/> thrown before anything changes. Thread-safe: calls are
/// serialised on one lock; the transport keeps one instance per open document.
/// </para>
/// </summary>
public sealed class CollaborativeDocument
{
    public const int DefaultRetainedRevisions = 10_000;

    private readonly Lock _gate = new();
    private readonly TextBuffer _text;
    private readonly OperationLog _log;
    private readonly Dictionary<string, ClientSession> _sessions = new(StringComparer.Ordinal);
    private readonly int _retainedRevisions;
    private long _revision;

    /// <param name="content">The text at <paramref name="revision"/> (a snapshot); older base revisions need a resync.</param>
    /// <param name="retainedRevisions">How many log entries to keep: clients based further back must resync.</param>
    public CollaborativeDocument(string content = "", long revision = 0, int retainedRevisions = DefaultRetainedRevisions)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        ArgumentOutOfRangeException.ThrowIfNegative(retainedRevisions);
        _text = new TextBuffer(content);
        _log = new OperationLog(revision);
        _revision = revision;
        _retainedRevisions = retainedRevisions;
    }

    public static CollaborativeDocument FromSnapshot(DocumentSnapshot snapshot, int retainedRevisions = DefaultRetainedRevisions)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new CollaborativeDocument(snapshot.Content, snapshot.Revision, retainedRevisions);
    }

    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Code points in the current text.</summary>
    public int Length
    {
        get
        {
            lock (_gate)
            {
                return _text.Length;
            }
        }
    }

    /// <summary>The oldest base revision still accepted; anything older answers <see cref="CollaborationError.ResyncRequired"/>.</summary>
    public long OldestBaseRevision
    {
        get
        {
            lock (_gate)
            {
                return _log.OldestBaseRevision;
            }
        }
    }

    public string GetContent()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }

    public DocumentSnapshot TakeSnapshot()
    {
        lock (_gate)
        {
            return new DocumentSnapshot(_text.ToString(), _revision);
        }
    }

    /// <summary>Merges one batch from <paramref name="clientId"/>; see the class summary for what it must be based on.</summary>
    public AppliedOperation Apply(string clientId, long baseRevision, TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Merge(clientId, baseRevision, _ => operation);
    }

    /// <summary>
    /// Merges a batch of positional edits (each relative to the text the previous ones left), based like
    /// <see cref="Apply(string, long, TextOperation)"/>.
    /// </summary>
    public AppliedOperation Apply(string clientId, long baseRevision, IEnumerable<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        return Merge(clientId, baseRevision, length => TextOperation.FromEdits(length, edits));
    }

    /// <summary>
    /// The merge itself: <paramref name="operationFor"/> gets the length of the text the client edited and returns
    /// its operation (it may refuse it), which is then transformed past the concurrent operations the client had not
    /// seen, applied and logged.
    /// </summary>
    private AppliedOperation Merge(string clientId, long baseRevision, Func<int, TextOperation> operationFor)
    {
        lock (_gate)
        {
            var unseen = Unseen(clientId, baseRevision);
            var expected = LengthSeenBy(unseen);
            var operation = operationFor(expected);
            if (operation.BaseLength != expected)
            {
                throw new CollaborationException(
                    CollaborationError.MalformedOperation,
                    $"the operation applies to {operation.BaseLength} code points, but the text client {clientId} edited at revision {baseRevision} has {expected}");
            }

            // Each unseen operation came first in the server's order; afterwards it is past this operation too.
            var transformed = operation;
            var stillUnseen = new List<AppliedOperation>(unseen.Count);
            foreach (var concurrent in unseen)
            {
                (var past, transformed) = TextOperation.Transform(concurrent.Operation, transformed);
                stillUnseen.Add(concurrent with { Operation = past });
            }

            var entry = new AppliedOperation(_revision + 1, clientId, transformed);
            Append(entry);
            _sessions[clientId] = new ClientSession(baseRevision, stillUnseen);
            return entry;
        }
    }

    /// <summary>
    /// Appends an operation that was already ordered and applied (a persisted log row replayed on top of the snapshot it
    /// follows): it must be the next revision and fit the current text; nothing is transformed.
    /// </summary>
    public void ApplyCommitted(AppliedOperation committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        lock (_gate)
        {
            if (committed.Revision != _revision + 1)
            {
                throw new CollaborationException(CollaborationError.ProtocolViolation, $"committed operation {committed.Revision} does not follow revision {_revision}");
            }

            if (committed.Operation.BaseLength != _text.Length)
            {
                throw new CollaborationException(CollaborationError.MalformedOperation, $"committed operation {committed.Revision} applies to {committed.Operation.BaseLength} code points, but the text has {_text.Length}");
            }

            Append(committed);
        }
    }

    /// <summary>The log entries after <paramref name="revision"/>, oldest first: what a reconnecting client catches up with.</summary>
    public IReadOnlyList<AppliedOperation> GetOperationsSince(long revision)
    {
        lock (_gate)
        {
            CheckBase(revision);
            var entries = new AppliedOperation[_revision - revision];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = _log[revision + 1 + i];
            }

            return entries;
        }
    }

    /// <summary>
    /// Moves a selection that <paramref name="clientId"/> reported against <paramref name="baseRevision"/> (and its own
    /// in-flight operations) to the current revision, ready to broadcast.
    /// </summary>
    public Selection TransformSelection(string clientId, long baseRevision, Selection selection)
    {
        lock (_gate)
        {
            var unseen = Unseen(clientId, baseRevision);
            var length = LengthSeenBy(unseen);
            if (selection.Anchor < 0 || selection.Head < 0 || selection.Anchor > length || selection.Head > length)
            {
                throw new CollaborationException(CollaborationError.MalformedOperation, $"selection {selection.Anchor}..{selection.Head} is outside the text client {clientId} sees at revision {baseRevision}, which has {length} code points");
            }

            foreach (var concurrent in unseen)
            {
                selection = CursorTransform.Transform(selection, concurrent.Operation, isOwnOperation: false);
            }

            return selection;
        }
    }

    /// <summary>Keeps only the last <paramref name="retainedRevisions"/> log entries (after a snapshot was persisted).</summary>
    public void TruncateLog(int retainedRevisions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retainedRevisions);
        lock (_gate)
        {
            DropLogThrough(_revision - retainedRevisions);
        }
    }

    /// <summary>Forgets what the server keeps for a client (it disconnected); if it comes back with operations still in flight, it must resync.</summary>
    public void ForgetClient(string clientId)
    {
        lock (_gate)
        {
            _sessions.Remove(clientId);
        }
    }

    private void Append(AppliedOperation entry)
    {
        if (entry.Operation.BaseLength != _text.Length)
        {
            throw new InvalidOperationException($"internal error: revision {entry.Revision} applies to {entry.Operation.BaseLength} code points, the text has {_text.Length}");
        }

        entry.Operation.ApplyTo(_text);
        _log.Append(entry);
        _revision = entry.Revision;
        foreach (var (clientId, session) in _sessions)
        {
            if (clientId != entry.ClientId)
            {
                session.Unseen.Add(entry);
            }
        }

        if (_log.Count > _retainedRevisions)
        {
            DropLogThrough(_revision - _retainedRevisions);
        }
    }

    private void DropLogThrough(long revision)
    {
        _log.DropThrough(revision);
        foreach (var (clientId, session) in _sessions)
        {
            if (session.BaseRevision < _log.OldestBaseRevision)
            {
                _sessions.Remove(clientId);
            }
        }
    }

    /// <summary>
    /// The other clients' operations after <paramref name="baseRevision"/>, oldest first, each as it applies after
    /// this client's own later operations: from its session when it has one, else straight from the log (then it must
    /// have nothing in flight). Nothing is changed; the caller stores what it computes only on success.
    /// </summary>
    private List<AppliedOperation> Unseen(string clientId, long baseRevision)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            throw new CollaborationException(CollaborationError.ProtocolViolation, "a client id is required");
        }

        CheckBase(baseRevision);
        if (_sessions.TryGetValue(clientId, out var session))
        {
            if (baseRevision < session.BaseRevision)
            {
                throw new CollaborationException(CollaborationError.ProtocolViolation, $"client {clientId} sent base revision {baseRevision} after {session.BaseRevision}; a client's base revision never goes back");
            }

            var seen = 0;
            while (seen < session.Unseen.Count && session.Unseen[seen].Revision <= baseRevision)
            {
                seen++;
            }

            return session.Unseen[seen..];
        }

        var unseen = new List<AppliedOperation>();
        for (var revision = baseRevision + 1; revision <= _revision; revision++)
        {
            var entry = _log[revision];
            unseen.Add(entry.ClientId != clientId ? entry : throw Untracked(clientId, revision));
        }

        return unseen;
    }

    private static CollaborationException Untracked(string clientId, long revision) => new(
        CollaborationError.ResyncRequired,
        $"revision {revision} is an unacknowledged operation of client {clientId} that the server no longer tracks; load a fresh snapshot");

    /// <summary>Code points in the text the client saw: where the first operation it has not seen starts, or the current text.</summary>
    private int LengthSeenBy(List<AppliedOperation> unseen) =>
        unseen.Count > 0 ? unseen[0].Operation.BaseLength : _text.Length;

    private void CheckBase(long baseRevision)
    {
        if (baseRevision < 0)
        {
            throw new CollaborationException(CollaborationError.MalformedOperation, $"base revision {baseRevision} is negative");
        }

        if (baseRevision > _revision)
        {
            throw new CollaborationException(CollaborationError.RevisionInFuture, $"base revision {baseRevision} is newer than the document's revision {_revision}");
        }

        if (baseRevision < _log.OldestBaseRevision)
        {
            throw new CollaborationException(CollaborationError.ResyncRequired, $"base revision {baseRevision} is older than the retained log (oldest base revision {_log.OldestBaseRevision}); load a fresh snapshot");
        }
    }

    /// <summary>
    /// What the server keeps for a client that sent operations: the last base revision it reported and the other
    /// clients' operations since then, transformed past the client's own later operations.
    /// </summary>
    private sealed record ClientSession(long BaseRevision, List<AppliedOperation> Unseen);
}

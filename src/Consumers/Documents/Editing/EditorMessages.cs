using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Consumers.Documents.Editing;

/// <summary>What the server tells an editor; the transport turns each into one JSON message (see the README's protocol).</summary>
public abstract record EditorMessage;

/// <summary>The first message: who the editor is, the document's content at its revision, the others' selections and the limits.</summary>
public sealed record HelloMessage(string ClientId, Guid DocumentId, string Title, long Revision, string Content, IReadOnlyList<EditorPresence> Editors, EditorLimits Limits) : EditorMessage;

/// <summary>The editor's own operation was applied as <paramref name="Revision"/>.</summary>
public sealed record AckMessage(long Revision, long? Seq) : EditorMessage;

/// <summary>Another editor's (or a restore's) operation, as applied to revision <c>Revision - 1</c>.</summary>
public sealed record OperationMessage(long Revision, string ClientId, TextOperation Operation) : EditorMessage;

/// <summary>Another editor's selection at <paramref name="Revision"/>.</summary>
public sealed record CursorMessage(string ClientId, long Revision, Selection Selection) : EditorMessage;

public sealed record JoinedMessage(string ClientId) : EditorMessage;

public sealed record LeftMessage(string ClientId) : EditorMessage;

/// <summary>A request of this editor was refused; nothing changed.</summary>
public sealed record ErrorMessage(string Code, string Message, long? Seq, long? RetryAfterMs = null) : EditorMessage;

/// <summary>An editor present in the document and its selection at the hello's revision (null when it has sent none).</summary>
public sealed record EditorPresence(string ClientId, Selection? Selection);

public sealed record EditorLimits(int MaxDocumentLength, double MaxOperationsPerSecond, int OperationBurst, int MaxMessageBytes);

/// <summary>Error codes of the protocol.</summary>
public static class EditorErrors
{
    public const string MalformedMessage = "malformed-message";
    public const string MessageTooLarge = "message-too-large";
    public const string MalformedOperation = "malformed-operation";
    public const string RevisionInFuture = "revision-in-future";
    public const string ResyncRequired = "resync-required";
    public const string ProtocolViolation = "protocol-violation";
    public const string DocumentTooLarge = "document-too-large";
    public const string RateLimited = "rate-limited";

    public static string For(CollaborationError error) => error switch
    {
        CollaborationError.RevisionInFuture => RevisionInFuture,
        CollaborationError.ResyncRequired => ResyncRequired,
        CollaborationError.ProtocolViolation => ProtocolViolation,
        _ => MalformedOperation,
    };
}

/// <summary>WebSocket close codes the server uses (private-use range).</summary>
public static class EditorCloseCodes
{
    /// <summary>The document changed elsewhere (another replica, a conflicting write): reconnect to load it again.</summary>
    public const int Reload = 4409;

    /// <summary>The document was deleted.</summary>
    public const int Deleted = 4404;

    /// <summary>The editor did not read its messages fast enough.</summary>
    public const int TooSlow = 4429;
}

/// <summary>One connected editor as the live document sees it: a queue of messages to send and a way to close it.</summary>
public interface IDocumentEditor
{
    string ClientId { get; }

    /// <summary>Who edits (the API key id or session token subject), recorded on versions.</summary>
    string Actor { get; }

    /// <summary>Queues a message without waiting; false when the editor's queue is full (it is then closed as too slow).</summary>
    bool TrySend(EditorMessage message);

    /// <summary>Closes the connection after the queued messages.</summary>
    void Close(int code, string reason);
}

namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>Why the collaboration engine refused a request. The document is unchanged whenever one is raised.</summary>
public enum CollaborationError
{
    /// <summary>The operation itself is invalid: a negative length, a position or range outside the text it is based on, or an unpaired surrogate.</summary>
    MalformedOperation,

    /// <summary>The base revision is newer than the document's revision.</summary>
    RevisionInFuture,

    /// <summary>The base revision (or the client's unacknowledged operations) is older than the retained operation log: load a fresh snapshot.</summary>
    ResyncRequired,

    /// <summary>The request contradicts what the server knows of the client's session (e.g. its base revision went backwards).</summary>
    ProtocolViolation,
}

namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// A request the collaboration engine refused, with the reason a transport can map to a reply (a WebSocket error
/// frame, a problem+json body). Raised before anything changes: the document, its revision and its log stay as they were.
/// </summary>
public sealed class CollaborationException : Exception
{
    public CollaborationException()
        : this(CollaborationError.MalformedOperation, "the request was refused")
    {
    }

    public CollaborationException(string message)
        : this(CollaborationError.MalformedOperation, message)
    {
    }

    public CollaborationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = CollaborationError.MalformedOperation;
    }

    public CollaborationException(CollaborationError error, string message)
        : base(message)
    {
        Error = error;
    }

    public CollaborationError Error { get; }
}

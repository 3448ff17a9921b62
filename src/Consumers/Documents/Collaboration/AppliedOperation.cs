namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>
/// An operation the server accepted: the revision it was assigned, the client that sent it and the operation as
/// applied to the document at <c>Revision - 1</c> (already transformed past concurrent operations). It is the op-log
/// row to persist, the acknowledgement to the sender and the broadcast to everyone else.
/// </summary>
public sealed record AppliedOperation(long Revision, string ClientId, TextOperation Operation);

namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>What a client sends: an operation on the server text at <see cref="BaseRevision"/> followed by the client's own unacknowledged operations.</summary>
public sealed record OutgoingOperation(long BaseRevision, TextOperation Operation);

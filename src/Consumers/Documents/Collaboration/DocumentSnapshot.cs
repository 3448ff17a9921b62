namespace BacBos.Consumers.Documents.Collaboration;

/// <summary>The whole text at one revision: what a client loads to (re)join, and what autosave persists.</summary>
public sealed record DocumentSnapshot(string Content, long Revision);

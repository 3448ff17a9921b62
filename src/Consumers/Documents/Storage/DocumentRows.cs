namespace BacBos.Consumers.Documents.Storage;

/// <summary>A live document as stored: its title, its whole Markdown content at <see cref="Revision"/> and its length in code points.</summary>
public sealed record DocumentRow(Guid Id, string Title, string Content, long Revision, int Length, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A saved version: a full snapshot of the document at <see cref="Revision"/>, numbered from 1 per document.</summary>
/// <param name="Reason">created, autosave, disconnect, restore or manual.</param>
/// <param name="RestoredFrom">For a restore: the number of the version brought back.</param>
public sealed record VersionRow(Guid DocumentId, int Number, long Revision, string Title, string Content, string Reason, int? RestoredFrom, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>Why a version was saved.</summary>
public static class VersionReason
{
    public const string Created = "created";
    public const string Autosave = "autosave";
    public const string Disconnect = "disconnect";
    public const string Restore = "restore";
}

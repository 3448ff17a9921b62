using BacBos.Consumers.Documents.Storage;

namespace BacBos.Gateway.Documents;

/// <summary>A document with its current content; <c>length</c> counts Unicode code points, the unit of editing positions.</summary>
public sealed record DocumentResponse(Guid Id, string Title, string Content, long Revision, int Length, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static DocumentResponse From(DocumentRow row) => new(row.Id, row.Title, row.Content, row.Revision, row.Length, row.CreatedBy, row.CreatedAt, row.UpdatedAt);
}

/// <summary>A document in a list (without its content).</summary>
public sealed record DocumentSummaryResponse(Guid Id, string Title, long Revision, int Length, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static DocumentSummaryResponse From(DocumentRow row) => new(row.Id, row.Title, row.Revision, row.Length, row.CreatedBy, row.CreatedAt, row.UpdatedAt);
}

/// <summary>A saved version; <c>content</c> only when one version is read.</summary>
public sealed record VersionResponse(int Number, long Revision, string Title, string Reason, int? RestoredFrom, string CreatedBy, DateTimeOffset CreatedAt, string? Content)
{
    public static VersionResponse From(VersionRow row, bool withContent) =>
        new(row.Number, row.Revision, row.Title, row.Reason, row.RestoredFrom, row.CreatedBy, row.CreatedAt, withContent ? row.Content : null);
}

/// <summary>The outcome of a restore: the document at its new revision and the version that records it.</summary>
public sealed record RestoreResponse(DocumentResponse Document, VersionResponse Version);

/// <summary>A short-lived credential for the collaboration WebSocket of one document (browsers cannot set headers on a WebSocket).</summary>
public sealed record SessionTokenResponse(string Token, DateTimeOffset ExpiresAt, string WebsocketPath);

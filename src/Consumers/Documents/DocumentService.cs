using Microsoft.Extensions.DependencyInjection;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Consumers.Documents.Editing;
using BacBos.Consumers.Documents.Storage;

namespace BacBos.Consumers.Documents;

/// <summary>
/// The writer service behind the REST API: documents (create with an initial version, read, list, rename, soft
/// delete) and their versions (list, read, restore). Input is validated by the caller; ids are looked up in the
/// caller's own tenant storage only, so another tenant's id is simply not found.
/// </summary>
public sealed class DocumentService(DocumentStore store, DocumentEditing editing, [FromKeyedServices(DocumentsOptions.Clock)] TimeProvider time)
{
    public async Task<DocumentOutcome<DocumentRow>> CreateAsync(Guid tenantId, string title, string content, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = new DocumentRow(Guid.NewGuid(), title, content, 0, CodePoints.Count(content), actor, now, now);
        var created = await store.WriteAsync(tenantId, async tx =>
        {
            await tx.InsertDocumentAsync(row, cancellationToken);
            await tx.InsertVersionAsync(row.Id, 0, title, content, VersionReason.Created, null, actor, now, cancellationToken);
            return row;
        }, cancellationToken);
        return created is null ? DocumentOutcome<DocumentRow>.NoStorage() : DocumentOutcome<DocumentRow>.Ok(created);
    }

    public async Task<DocumentOutcome<DocumentRow>> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        DocumentOutcome<DocumentRow>.OkOrNotFound(await store.WriteAsync(tenantId, tx => tx.FindAsync(id, forUpdate: false, cancellationToken), cancellationToken));

    public async Task<DocumentOutcome<DocumentPage<DocumentRow>>> ListAsync(Guid tenantId, string orderAndPage, CancellationToken cancellationToken)
    {
        var page = await store.WriteAsync(tenantId, async tx => new DocumentPage<DocumentRow>(await tx.ListAsync(orderAndPage, cancellationToken)), cancellationToken);
        return page is null ? DocumentOutcome<DocumentPage<DocumentRow>>.Ok(new DocumentPage<DocumentRow>(([], 0))) : DocumentOutcome<DocumentPage<DocumentRow>>.Ok(page);
    }

    public async Task<DocumentOutcome<DocumentRow>> RenameAsync(Guid tenantId, Guid id, string title, CancellationToken cancellationToken) =>
        DocumentOutcome<DocumentRow>.OkOrNotFound(await store.WriteAsync(
            tenantId,
            async tx => await tx.RenameAsync(id, title, time.GetUtcNow(), cancellationToken) ? await tx.FindAsync(id, forUpdate: false, cancellationToken) : null,
            cancellationToken));

    /// <summary>Soft-deletes the document and closes its editors here (editors on another replica fail their next write and reload into a 404).</summary>
    public async Task<bool> DeleteAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        var deleted = await store.WriteAsync(tenantId, async tx => await tx.SoftDeleteAsync(id, time.GetUtcNow(), cancellationToken) ? (object)true : null, cancellationToken);
        if (deleted is not null && editing.Find(tenantId, id) is { } live)
        {
            await live.ShutDownAsync(EditorCloseCodes.Deleted, "the document was deleted");
        }

        return deleted is not null;
    }

    public async Task<DocumentOutcome<DocumentPage<VersionRow>>> ListVersionsAsync(Guid tenantId, Guid id, bool newestFirst, int offset, int limit, CancellationToken cancellationToken) =>
        DocumentOutcome<DocumentPage<VersionRow>>.OkOrNotFound(await store.WriteAsync(
            tenantId,
            async tx => await tx.FindAsync(id, forUpdate: false, cancellationToken) is null ? null : new DocumentPage<VersionRow>(await tx.ListVersionsAsync(id, newestFirst, offset, limit, cancellationToken)),
            cancellationToken));

    public async Task<DocumentOutcome<VersionRow>> GetVersionAsync(Guid tenantId, Guid id, int number, CancellationToken cancellationToken) =>
        DocumentOutcome<VersionRow>.OkOrNotFound(await store.WriteAsync(tenantId, tx => FindVersionAsync(tx, id, number, cancellationToken), cancellationToken));

    /// <summary>
    /// Brings a version back as the document's next revision and a new version. An open document is restored through
    /// its editors (they receive the operation); otherwise the store is updated directly, guarded by the revision.
    /// </summary>
    public async Task<DocumentOutcome<(DocumentRow Document, VersionRow Version)>> RestoreAsync(Guid tenantId, Guid id, int number, string actor, CancellationToken cancellationToken)
    {
        var version = await store.WriteAsync(tenantId, tx => FindVersionAsync(tx, id, number, cancellationToken), cancellationToken);
        if (version is null)
        {
            return DocumentOutcome<(DocumentRow, VersionRow)>.NotFound();
        }

        var saved = editing.Find(tenantId, id) is { } live ? await live.RestoreAsync(version, actor, cancellationToken) : null;
        saved ??= await store.WriteAsync(tenantId, tx => RestoreStoredAsync(tx, id, version, actor, cancellationToken), cancellationToken);
        if (saved is null)
        {
            return DocumentOutcome<(DocumentRow, VersionRow)>.Conflict("The document changed while the version was being restored; try again.");
        }

        var document = await store.WriteAsync(tenantId, tx => tx.FindAsync(id, forUpdate: false, cancellationToken), cancellationToken);
        return document is null ? DocumentOutcome<(DocumentRow, VersionRow)>.NotFound() : DocumentOutcome<(DocumentRow, VersionRow)>.Ok((document, saved));
    }

    private static async Task<VersionRow?> FindVersionAsync(DocumentTransaction tx, Guid id, int number, CancellationToken cancellationToken) =>
        await tx.FindAsync(id, forUpdate: false, cancellationToken) is null ? null : await tx.FindVersionAsync(id, number, cancellationToken);

    private async Task<VersionRow?> RestoreStoredAsync(DocumentTransaction tx, Guid id, VersionRow version, string actor, CancellationToken cancellationToken)
    {
        if (await tx.FindAsync(id, forUpdate: true, cancellationToken) is not { } document)
        {
            return null;
        }

        var operation = TextOperation.FromEdits(document.Length, [new TextEdit(0, document.Length, version.Content)]);
        var applied = new AppliedOperation(document.Revision + 1, "restore-" + Guid.NewGuid().ToString("N")[..8], operation);
        var now = time.GetUtcNow();
        if (!await tx.CommitRevisionAsync(id, applied, version.Content, CodePoints.Count(version.Content), now, cancellationToken))
        {
            return null;
        }

        return await tx.InsertVersionAsync(id, applied.Revision, document.Title, version.Content, VersionReason.Restore, version.Number, actor, now, cancellationToken);
    }
}

/// <summary>One page of rows and the total number of rows.</summary>
public sealed record DocumentPage<T>((IReadOnlyList<T> Items, long Total) Page)
{
    public IReadOnlyList<T> Items => Page.Items;

    public long Total => Page.Total;
}

public enum DocumentStatus
{
    Ok,
    NotFound,
    NoStorage,
    Conflict,
}

/// <summary>The outcome of a document request: a value, or why there is none.</summary>
public sealed record DocumentOutcome<T>(DocumentStatus Status, T? Value, string? Detail)
{
    public static DocumentOutcome<T> Ok(T value) => new(DocumentStatus.Ok, value, null);

    public static DocumentOutcome<T> NotFound() => new(DocumentStatus.NotFound, default, null);

    public static DocumentOutcome<T> NoStorage() => new(DocumentStatus.NoStorage, default, "The tenant has no document storage (it is not provisioned or was removed).");

    public static DocumentOutcome<T> Conflict(string detail) => new(DocumentStatus.Conflict, default, detail);

    public static DocumentOutcome<T> OkOrNotFound(T? value) => value is null ? NotFound() : Ok(value);
}

using System.Data.Common;
using System.Globalization;
using BacBos.Consumers.Documents.Collaboration;
using BacBos.Platform.Data;

namespace BacBos.Consumers.Documents.Storage;

/// <summary>One transaction over a tenant's documents, versions and operation log; every statement names its columns.</summary>
public sealed class DocumentTransaction(DbSession session, string prefix) : IAsyncDisposable
{
    private const string DocumentColumns = "id, title, content, revision, length, created_by, created_at, updated_at";
    private const string VersionColumns = "document_id, number, revision, title, content, reason, restored_from, created_by, created_at";

    private Database Database => session.Database;

    private string Documents => prefix + "documents";

    private string Versions => prefix + "document_versions";

    private string Operations => prefix + "document_operations";

    public async Task InsertDocumentAsync(DocumentRow row, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(
            $"INSERT INTO {Documents} ({DocumentColumns}, deleted_at) VALUES (@id, @title, @content, @revision, @length, @by, @at, @at, NULL)",
            cancellationToken,
            ("id", Database.Id(row.Id)),
            ("title", row.Title),
            ("content", row.Content),
            ("revision", row.Revision),
            ("length", row.Length),
            ("by", row.CreatedBy),
            ("at", Database.Time(row.CreatedAt)));

    /// <summary>The live (not deleted) document, locked for this transaction on PostgreSQL when <paramref name="forUpdate"/>.</summary>
    public async Task<DocumentRow?> FindAsync(Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT {DocumentColumns} FROM {Documents} WHERE id = @id AND deleted_at IS NULL{(forUpdate ? Database.ForUpdate : string.Empty)}",
            ReadDocument,
            cancellationToken,
            ("id", Database.Id(id)))).FirstOrDefault();

    /// <summary>One page of live documents; <paramref name="orderAndPage"/> is built from whitelisted sort keys only.</summary>
    public async Task<(IReadOnlyList<DocumentRow> Items, long Total)> ListAsync(string orderAndPage, CancellationToken cancellationToken)
    {
        var total = Convert.ToInt64(await session.ScalarAsync($"SELECT COUNT(*) FROM {Documents} WHERE deleted_at IS NULL", cancellationToken), CultureInfo.InvariantCulture);
        var items = await QueryAsync($"SELECT {DocumentColumns} FROM {Documents} WHERE deleted_at IS NULL{orderAndPage}", ReadDocument, cancellationToken);
        return (items, total);
    }

    public async Task<bool> RenameAsync(Guid id, string title, DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(
            $"UPDATE {Documents} SET title = @title, updated_at = @now WHERE id = @id AND deleted_at IS NULL",
            cancellationToken,
            ("id", Database.Id(id)),
            ("title", title),
            ("now", Database.Time(now))) == 1;

    public async Task<bool> SoftDeleteAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await session.ExecuteAsync(
            $"UPDATE {Documents} SET deleted_at = @now, updated_at = @now WHERE id = @id AND deleted_at IS NULL",
            cancellationToken,
            ("id", Database.Id(id)),
            ("now", Database.Time(now))) == 1;

    /// <summary>
    /// Records <paramref name="applied"/> as the document's next revision: the log row and the new content, only if the
    /// stored document is still at the revision before it (and not deleted). False means another writer (a second
    /// replica, a restore) got there first; nothing was written.
    /// </summary>
    public async Task<bool> CommitRevisionAsync(Guid id, AppliedOperation applied, string content, int length, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = await session.ExecuteAsync(
            $"UPDATE {Documents} SET content = @content, length = @length, revision = @revision, updated_at = @now WHERE id = @id AND revision = @previous AND deleted_at IS NULL",
            cancellationToken,
            ("id", Database.Id(id)),
            ("content", content),
            ("length", length),
            ("revision", applied.Revision),
            ("previous", applied.Revision - 1),
            ("now", Database.Time(now)));
        if (updated != 1)
        {
            return false;
        }

        await session.ExecuteAsync(
            $"INSERT INTO {Operations} (document_id, revision, client_id, operation, created_at) VALUES (@id, @revision, @client, @operation, @now)",
            cancellationToken,
            ("id", Database.Id(id)),
            ("revision", applied.Revision),
            ("client", applied.ClientId),
            ("operation", OperationJson.Serialize(applied.Operation)),
            ("now", Database.Time(now)));
        return true;
    }

    /// <summary>The operation log rows after <paramref name="revision"/>, oldest first.</summary>
    public Task<List<AppliedOperation>> OperationsSinceAsync(Guid id, long revision, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT revision, client_id, operation FROM {Operations} WHERE document_id = @id AND revision > @revision ORDER BY revision",
            r => new AppliedOperation(r.GetInt64(0), r.GetString(1), OperationJson.Parse(r.GetString(2))),
            cancellationToken,
            ("id", Database.Id(id)),
            ("revision", revision));

    /// <summary>Saves a snapshot as the document's next version number.</summary>
    public async Task<VersionRow> InsertVersionAsync(Guid documentId, long revision, string title, string content, string reason, int? restoredFrom, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var number = Convert.ToInt32(
            await session.ScalarAsync($"SELECT COALESCE(MAX(number), 0) + 1 FROM {Versions} WHERE document_id = @id", cancellationToken, ("id", Database.Id(documentId))),
            CultureInfo.InvariantCulture);
        var row = new VersionRow(documentId, number, revision, title, content, reason, restoredFrom, actor, now);
        await session.ExecuteAsync(
            $"INSERT INTO {Versions} ({VersionColumns}) VALUES (@id, @number, @revision, @title, @content, @reason, @from, @by, @at)",
            cancellationToken,
            ("id", Database.Id(documentId)),
            ("number", number),
            ("revision", revision),
            ("title", title),
            ("content", content),
            ("reason", reason),
            ("from", restoredFrom),
            ("by", actor),
            ("at", Database.Time(now)));
        return row;
    }

    /// <summary>The revision of the newest version, or -1 when there is none.</summary>
    public async Task<long> LatestVersionRevisionAsync(Guid documentId, CancellationToken cancellationToken) =>
        await session.ScalarAsync($"SELECT MAX(revision) FROM {Versions} WHERE document_id = @id", cancellationToken, ("id", Database.Id(documentId))) is { } value and not DBNull
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : -1;

    /// <summary>One page of a document's versions by number.</summary>
    public async Task<(IReadOnlyList<VersionRow> Items, long Total)> ListVersionsAsync(Guid documentId, bool newestFirst, int offset, int limit, CancellationToken cancellationToken)
    {
        var total = Convert.ToInt64(
            await session.ScalarAsync($"SELECT COUNT(*) FROM {Versions} WHERE document_id = @id", cancellationToken, ("id", Database.Id(documentId))),
            CultureInfo.InvariantCulture);
        var items = await QueryAsync(
            $"SELECT {VersionColumns} FROM {Versions} WHERE document_id = @id ORDER BY number {(newestFirst ? "DESC" : "ASC")} LIMIT {limit} OFFSET {offset}",
            ReadVersion,
            cancellationToken,
            ("id", Database.Id(documentId)));
        return (items, total);
    }

    public async Task<VersionRow?> FindVersionAsync(Guid documentId, int number, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT {VersionColumns} FROM {Versions} WHERE document_id = @id AND number = @number",
            ReadVersion,
            cancellationToken,
            ("id", Database.Id(documentId)),
            ("number", number))).FirstOrDefault();

    public Task CommitAsync(CancellationToken cancellationToken) => session.CommitAsync(cancellationToken);

    public ValueTask DisposeAsync() => session.DisposeAsync();

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = session.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static DocumentRow ReadDocument(DbDataReader r) => new(
        Database.ReadId(r, 0),
        r.GetString(1),
        r.GetString(2),
        r.GetInt64(3),
        r.GetInt32(4),
        r.GetString(5),
        Database.ReadTime(r, 6),
        Database.ReadTime(r, 7));

    private static VersionRow ReadVersion(DbDataReader r) => new(
        Database.ReadId(r, 0),
        r.GetInt32(1),
        r.GetInt64(2),
        r.GetString(3),
        r.GetString(4),
        r.GetString(5),
        r.IsDBNull(6) ? null : r.GetInt32(6),
        r.GetString(7),
        Database.ReadTime(r, 8));
}

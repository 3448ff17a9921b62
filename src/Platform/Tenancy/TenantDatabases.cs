using System.Data.Common;
using BacBos.Platform.Data;
using Microsoft.Data.Sqlite;

namespace BacBos.Platform.Tenancy;

/// <summary>
/// Per-tenant storage: a PostgreSQL schema <c>tenant_{id:N}</c>, or in the embedded default a SQLite file
/// <c>{DataDirectory}/tenants/{id:N}.db</c>. Creation is idempotent and applies the tenant migrations
/// (<c>Migrations/Tenant/…</c>); dropping removes everything.
/// </summary>
public sealed class TenantDatabases(Database database)
{
    public static string SchemaName(Guid tenantId) => $"tenant_{tenantId:N}";

    public string Prefix(Guid tenantId) => database.IsPostgres ? $"\"{SchemaName(tenantId)}\"." : string.Empty;

    public string SqliteFile(Guid tenantId) => Path.Combine(database.Options.DataDirectory, "tenants", $"{tenantId:N}.db");

    public async Task<bool> ExistsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return File.Exists(SqliteFile(tenantId));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM pg_namespace WHERE nspname = @n";
        var p = command.CreateParameter();
        p.ParameterName = "n";
        p.Value = SchemaName(tenantId);
        command.Parameters.Add(p);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>True when tenant storage lives in the platform database, so tenant work and platform rows can commit together.</summary>
    public bool SharesPlatformTransactions => database.IsPostgres;

    /// <summary>
    /// Creates the tenant's storage and applies pending tenant migrations. Returns the versions applied now.
    /// <paramref name="beforeCommit"/> runs inside the same transaction when something was applied (only useful when
    /// <see cref="SharesPlatformTransactions"/>: then it can write platform rows atomically with the schema).
    /// </summary>
    public async Task<IReadOnlyList<string>> EnsureCreatedAsync(
        Guid tenantId,
        CancellationToken cancellationToken,
        Func<DbSession, IReadOnlyList<string>, Task>? beforeCommit = null)
    {
        await using var session = await BeginAsync(tenantId, cancellationToken);
        var prefix = Prefix(tenantId);
        if (database.IsPostgres)
        {
            // Serialise concurrent creators of the same schema (CREATE SCHEMA IF NOT EXISTS can race on the catalog).
            await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@n))", cancellationToken, ("n", SchemaName(tenantId)));
            await session.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS \"{SchemaName(tenantId)}\"", cancellationToken);
        }

        var applied = await ApplyPendingAsync(session, prefix, cancellationToken);
        if (applied.Count > 0 && beforeCommit is not null)
        {
            await beforeCommit(session, applied);
        }

        await session.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>
    /// Brings an existing tenant's storage up to the current tenant migrations (a tenant activated before a migration
    /// was added gets it here). Returns false, creating nothing, when the tenant has no storage.
    /// </summary>
    public async Task<bool> MigrateExistingAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres && !File.Exists(SqliteFile(tenantId)))
        {
            return false;
        }

        await using var session = await BeginAsync(tenantId, cancellationToken);
        if (database.IsPostgres)
        {
            // The same lock as creation and dropping: the schema cannot appear or vanish while this runs.
            await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@n))", cancellationToken, ("n", SchemaName(tenantId)));
            if (await session.ScalarAsync("SELECT 1 FROM pg_namespace WHERE nspname = @n", cancellationToken, ("n", SchemaName(tenantId))) is null)
            {
                return false;
            }
        }

        await ApplyPendingAsync(session, Prefix(tenantId), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// One transaction over the tenant's tables and the platform's (bus outbox, idempotency keys, tenants), so a
    /// tenant write and the messages it publishes commit together. PostgreSQL: the tenant schema lives in the platform
    /// database. SQLite: a dedicated platform connection with the tenant file attached as <c>tenant</c> (one SQLite
    /// transaction over both files). Tenant table names take <see cref="TenantTransaction.Prefix"/>; platform table
    /// names stay unqualified. The tenant's storage must exist (<see cref="MigrateExistingAsync"/>).
    /// </summary>
    public async Task<TenantTransaction> BeginWithPlatformAsync(Guid tenantId, bool readOnly, CancellationToken cancellationToken)
    {
        if (database.IsPostgres)
        {
            return new TenantTransaction(await database.BeginAsync(cancellationToken), Prefix(tenantId));
        }

        if (Database.Ambient is { } ambient && ReferenceEquals(ambient.Database, database))
        {
            // The ambient transaction holds the platform file's write lock: a second writer would wait for itself.
            throw new InvalidOperationException("A tenant + platform transaction cannot be opened inside an ambient platform transaction on SQLite.");
        }

        var file = SqliteFile(tenantId);
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"The storage of tenant {tenantId} does not exist.");
        }

        var connection = await database.OpenDedicatedAsync(cancellationToken);
        try
        {
            await using (var attach = connection.CreateCommand())
            {
                attach.CommandText = $"ATTACH DATABASE @file AS {SqliteAlias}";
                var p = attach.CreateParameter();
                p.ParameterName = "file";
                p.Value = file;
                attach.Parameters.Add(p);
                await attach.ExecuteNonQueryAsync(cancellationToken);
            }

            var session = readOnly ? await database.BeginReadOnAsync(connection, cancellationToken) : await database.BeginOnAsync(connection, cancellationToken);
            return new TenantTransaction(session, SqliteAlias + ".");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private const string SqliteAlias = "tenant";

    private async Task<List<string>> ApplyPendingAsync(DbSession session, string prefix, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync($"CREATE TABLE IF NOT EXISTS {prefix}schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken);
        var applied = new List<string>();
        foreach (var (version, sql) in Migrator.Load(database.Provider, "Tenant"))
        {
            if (await session.ScalarAsync($"SELECT 1 FROM {prefix}schema_migrations WHERE version = @v", cancellationToken, ("v", version)) is not null)
            {
                continue;
            }

            await session.ExecuteAsync(sql.Replace("{schema}", prefix, StringComparison.Ordinal), cancellationToken);
            await session.ExecuteAsync(
                $"INSERT INTO {prefix}schema_migrations (version, applied_at) VALUES (@v, @t)",
                cancellationToken,
                ("v", version),
                ("t", DateTimeOffset.UtcNow.ToString("O")));
            applied.Add(version);
        }

        return applied;
    }

    /// <summary>Drops the tenant's storage. Returns false when there was nothing to drop.</summary>
    public async Task<bool> DropAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            var file = SqliteFile(tenantId);
            if (!File.Exists(file))
            {
                return false;
            }

            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }

            return true;
        }

        var existed = await ExistsAsync(tenantId, cancellationToken);
        await using var session = await database.BeginAsync(cancellationToken);
        await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@n))", cancellationToken, ("n", SchemaName(tenantId)));
        await session.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{SchemaName(tenantId)}\" CASCADE", cancellationToken);
        await session.CommitAsync(cancellationToken);
        return existed;
    }

    /// <summary>A write transaction on the tenant's storage; table names must be prefixed with <see cref="Prefix"/>.</summary>
    public async Task<DbSession> BeginAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (database.IsPostgres)
        {
            return await database.BeginAsync(cancellationToken);
        }

        var file = SqliteFile(tenantId);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        DbConnection connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return await database.BeginOnAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A transaction over a tenant's tables and the platform tables; see <see cref="TenantDatabases.BeginWithPlatformAsync"/>.</summary>
/// <param name="Session">The transaction (commit explicitly; disposing without commit rolls back).</param>
/// <param name="Prefix">What goes before a tenant table name: <c>"tenant_…".</c> or <c>tenant.</c>.</param>
public sealed record TenantTransaction(DbSession Session, string Prefix) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Session.DisposeAsync();
}

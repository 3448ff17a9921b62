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

        if (applied.Count > 0 && beforeCommit is not null)
        {
            await beforeCommit(session, applied);
        }

        await session.CommitAsync(cancellationToken);
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

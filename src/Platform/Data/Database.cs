using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BacBos.Platform.Data;

/// <summary>
/// The platform database: opens connections and hides the few differences between PostgreSQL and SQLite
/// (parameter types, locking). SQL text is shared where both dialects agree.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    public Database(DatabaseOptions options)
    {
        Options = options;
        Provider = options.Provider;
        if (Provider == DatabaseProvider.Postgres)
        {
            var cs = options.ConnectionString
                ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required when Database:Provider is Postgres.");
            var connection = new NpgsqlConnectionStringBuilder(cs);
            if (options.IdleInTransactionTimeout > TimeSpan.Zero && connection.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
            {
                connection.Options = $"{connection.Options} -c idle_in_transaction_session_timeout={(long)options.IdleInTransactionTimeout.TotalMilliseconds}".Trim();
            }

            _postgres = new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
        }
        else
        {
            Directory.CreateDirectory(options.DataDirectory);
            var builder = new SqliteConnectionStringBuilder(options.ConnectionString ?? $"Data Source={Path.Combine(options.DataDirectory, "bacbos.db")}")
            {
                Pooling = true,
                DefaultTimeout = 30,
            };
            _sqlite = builder.ToString();
            using var connection = new SqliteConnection(_sqlite);
            connection.Open();
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
    }

    public DatabaseOptions Options { get; }

    public DatabaseProvider Provider { get; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary><c>FOR UPDATE</c> on PostgreSQL; SQLite serialises writers with <c>BEGIN IMMEDIATE</c> instead.</summary>
    public string ForUpdate => IsPostgres ? " FOR UPDATE" : string.Empty;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// A connection of its own, never taken from or returned to a pool: for work that changes the connection itself
    /// (SQLite <c>ATTACH</c>), so nothing of it can leak to the next user of a pooled connection.
    /// </summary>
    public async Task<DbConnection> OpenDedicatedAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_sqlite) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a read-only transaction on a connection the caller opened (SQLite: deferred, so readers do not take the write lock).</summary>
    public async Task<DbSession> BeginReadOnAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(cancellationToken);
        return new DbSession(this, connection, transaction);
    }

    private static readonly AsyncLocal<DbSession?> AmbientSession = new();

    /// <summary>
    /// The transaction of the message being consumed under the transactional outbox, if any. While it is set,
    /// <see cref="BeginAsync"/> joins it (commit and dispose of the joined session are no-ops), so a consumer's business
    /// writes, the saga's state and the outgoing messages commit or roll back together.
    /// </summary>
    public static DbSession? Ambient => AmbientSession.Value;

    /// <summary>Makes <paramref name="session"/> the ambient transaction for the current async flow until disposed.</summary>
    public static IDisposable UseAmbient(DbSession session)
    {
        var previous = AmbientSession.Value;
        AmbientSession.Value = session;
        return new AmbientScope(previous);
    }

    /// <summary>Opens a connection and starts a write transaction (SQLite: <c>BEGIN IMMEDIATE</c>), or joins the ambient one.</summary>
    public async Task<DbSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        if (AmbientSession.Value is { } ambient && ReferenceEquals(ambient.Database, this))
        {
            return ambient.Join();
        }

        return await BeginOwnedAsync(cancellationToken);
    }

    /// <summary>Always a new connection and transaction, never the ambient one.</summary>
    public async Task<DbSession> BeginOwnedAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new DbSession(this, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a write transaction on a connection the caller opened (e.g. a per-tenant SQLite file).</summary>
    public async Task<DbSession> BeginOnAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        return new DbSession(this, connection, transaction);
    }

    /// <summary>A Guid as the dialect stores it (uuid / text).</summary>
    public object Id(Guid id) => IsPostgres ? id : id.ToString("D");

    /// <summary>A Guid read back from a column of either dialect.</summary>
    public static Guid ReadId(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            var other => throw new InvalidOperationException($"Unexpected id type {other.GetType()}"),
        };

    /// <summary>A timestamp as the dialect stores it (timestamptz / ISO-8601 text).</summary>
    public object Time(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : value.ToUniversalTime().ToString("O");

    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) switch
        {
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            DateTimeOffset dto => dto,
            string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"Unexpected time type {other.GetType()}"),
        };

    /// <summary>True for a primary-key / unique-constraint violation in either dialect.</summary>
    public static bool IsUniqueViolation(Exception exception) =>
        exception switch
        {
            PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
            SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
            _ => false,
        };

    private sealed class AmbientScope(DbSession? previous) : IDisposable
    {
        public void Dispose() => AmbientSession.Value = previous;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

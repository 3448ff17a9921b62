namespace BacBos.Platform.Data;

/// <summary>Which relational database holds platform state.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded default: SQLite files under <see cref="DatabaseOptions.DataDirectory"/>.</summary>
    Sqlite,

    /// <summary>Production and integration tests.</summary>
    Postgres,
}

/// <summary>Configuration section <c>Database</c> plus <c>ConnectionStrings:Postgres</c> / <c>ConnectionStrings:Sqlite</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the embedded SQLite files, per-tenant databases and generated keys.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Resolved connection string (set from <c>ConnectionStrings</c> when empty).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL ends a session that stays idle inside a transaction this long (<c>idle_in_transaction_session_timeout</c>,
    /// unless the connection string sets it), releasing its row locks. A consume whose task never finishes (abandoned
    /// by MassTransit after <c>Bus:StopTimeout</c>) otherwise keeps its inbox and saga rows locked, and the redelivered
    /// message waits for them forever. Far above any transaction we hold open on purpose; zero turns it off.
    /// </summary>
    public TimeSpan IdleInTransactionTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

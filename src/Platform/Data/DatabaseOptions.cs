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
}

using System.Reflection;
using Microsoft.Extensions.Logging;

namespace BacBos.Platform.Data;

/// <summary>
/// Applies the versioned SQL migrations embedded in this assembly (<c>Migrations/{Postgres|Sqlite}/NNNN_name.sql</c>)
/// in order, each in its own transaction, recording them in <c>schema_migrations</c>. Safe when several processes
/// start at once: PostgreSQL takes an advisory lock, SQLite serialises through <c>BEGIN IMMEDIATE</c>.
/// </summary>
public sealed class Migrator(Database database, ILogger<Migrator> logger)
{
    private const long AdvisoryLockKey = 0x42616342_6f73; // "BacBos"

    public static IReadOnlyList<(string Version, string Sql)> Load(DatabaseProvider provider, string set = "")
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{assembly.GetName().Name}.Migrations.{(set.Length > 0 ? set + "." : string.Empty)}{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[prefix.Length..^4], Read(assembly, n)))
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        foreach (var (version, sql) in Load(database.Provider))
        {
            await using var session = await database.BeginAsync(cancellationToken);
            if (database.IsPostgres)
            {
                await session.ExecuteAsync("SELECT pg_advisory_xact_lock(@k)", cancellationToken, ("k", AdvisoryLockKey));
            }

            await session.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at text NOT NULL)",
                cancellationToken);
            var exists = await session.ScalarAsync("SELECT 1 FROM schema_migrations WHERE version = @v", cancellationToken, ("v", version));
            if (exists is not null)
            {
                continue;
            }

            await session.ExecuteAsync(sql, cancellationToken);
            await session.ExecuteAsync(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)",
                cancellationToken,
                ("v", version),
                ("t", DateTimeOffset.UtcNow.ToString("O")));
            await session.CommitAsync(cancellationToken);
            applied++;
            logger.LogInformation("Applied migration {MigrationVersion} on {DatabaseProvider}", version, database.Provider);
        }

        return applied;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

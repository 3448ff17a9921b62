using Npgsql;

namespace BacBos.Benchmarks.Infrastructure;

/// <summary>
/// A PostgreSQL database of its own for one scenario (<c>bacbos_bench_{guid:N}</c>), created through the superuser
/// connection and dropped <c>WITH (FORCE)</c> on dispose, so a killed host cannot keep it alive.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private BenchDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>Superuser connection string to this database.</summary>
    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var name = $"bacbos_bench_{Guid.NewGuid():N}";
        await AdminExecuteAsync($"CREATE DATABASE \"{name}\"");
        var builder = new NpgsqlConnectionStringBuilder(BenchEnvironment.PostgresAdmin) { Database = name, MaxPoolSize = 100 };
        return new BenchDatabase(name, builder.ConnectionString);
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The server's version string (for the machine description).</summary>
    public static async Task<string> ServerVersionAsync()
    {
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return "PostgreSQL " + (await command.ExecuteScalarAsync())?.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    /// <summary>Unpooled: a pooled admin connection may have been ended by a server restart meanwhile.</summary>
    private static string Admin => new NpgsqlConnectionStringBuilder(BenchEnvironment.PostgresAdmin) { Pooling = false }.ConnectionString;

    private static async Task AdminExecuteAsync(string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not usable ({ex.Message}). Run scripts/servers.sh and `source .tmp/test-env.sh` (BACBOS_TEST_POSTGRES).",
                ex);
        }
    }
}

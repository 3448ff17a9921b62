using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Http.Tests.Infrastructure;

/// <summary>
/// The gateway in its embedded default (worker hosted in-process, in-memory bus, SQLite) on a data directory of its
/// own. Configuration goes in through <see cref="IWebHostBuilder.UseSetting"/>, which the gateway sees before it reads
/// its options. The directory is deleted on dispose unless the caller owns it (the restart tests share one between
/// two factories).
/// </summary>
public class EmbeddedGatewayFactory : WebApplicationFactory<Program>
{
    public const string OperatorKey = "test-operator-key";

    private readonly bool _ownsDirectory;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly Lazy<Task<Activation>> _sharedActivation;

    /// <summary>A fresh data directory with the default test settings (what <c>IClassFixture</c> creates).</summary>
    public EmbeddedGatewayFactory()
        : this(NewDataDirectory(), ownsDirectory: true, settings: null)
    {
    }

    /// <summary>A factory on <paramref name="dataDirectory"/> with extra <paramref name="settings"/> (they win over the defaults).</summary>
    protected EmbeddedGatewayFactory(string dataDirectory, bool ownsDirectory, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services = null)
    {
        DataDirectory = dataDirectory;
        _services = services;
        _ownsDirectory = ownsDirectory;
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Gateway:HostWorker"] = "true",
            ["Gateway:ActivationWait"] = "00:00:20",
            ["Bus:Transport"] = "InMemory",
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = dataDirectory,
            ["Drivers:GitOps:Directory"] = Path.Combine(dataDirectory, "gitops"),
            ["Security:OperatorKeys:0"] = OperatorKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        _settings = merged;
        _sharedActivation = new(() => ActivateSampleAsync("Shared Fixture Foods " + Guid.NewGuid().ToString("N")[..8]));
    }

    /// <summary>A factory on a data directory the caller creates and deletes (restart scenarios).</summary>
    public static EmbeddedGatewayFactory OnDirectory(
        string dataDirectory,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null) =>
        new(dataDirectory, ownsDirectory: false, settings, services);

    /// <summary>A factory on a fresh data directory (deleted on dispose) with extra settings.</summary>
    public static EmbeddedGatewayFactory WithSettings(IReadOnlyDictionary<string, string?> settings) =>
        new(NewDataDirectory(), ownsDirectory: true, settings);

    public string DataDirectory { get; }

    public string PlatformDatabaseFile => Path.Combine(DataDirectory, "bacbos.db");

    public string TenantsDirectory => Path.Combine(DataDirectory, "tenants");

    public string TenantDatabaseFile(Guid tenantId) => Path.Combine(TenantsDirectory, $"{tenantId:N}.db");

    /// <summary>One activation per factory, made on first use, for tests that only need "some tenant and its key".</summary>
    public Task<Activation> SharedActivationAsync() => _sharedActivation.Value;

    public static string NewDataDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "bacbos-http-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Deletes a test's data directory (best effort: it is a temp folder). A write that was in flight as a host stopped
    /// (a WebSocket's last-editor save, a lease release) can still create a SQLite journal while the folder is being
    /// deleted, so a failed attempt is retried for a few seconds, then left behind with a note on stderr.
    /// </summary>
    public static void DeleteDirectory(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var attempt = 1; ; attempt++)
        {
            // Pooled connections (the gateway's and ours) keep the files open; release them before deleting.
            SqliteConnection.ClearAllPools();
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException ex) when (DateTime.UtcNow < deadline)
            {
                Console.Error.WriteLine($"Deleting {path} (attempt {attempt}): {ex.Message}; trying again");
                Thread.Sleep(TimeSpan.FromMilliseconds(100 * Math.Min(attempt, 10)));
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"Left {path} behind: {ex.Message}");
                return;
            }
        }
    }

    public HttpClient CreateOperatorClient() => CreateClientWith(OperatorKey);

    /// <summary>A client that sends <paramref name="credential"/> as <c>Authorization: Bearer</c>.</summary>
    public HttpClient CreateClientWith(string credential)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", credential);
        return client;
    }

    /// <summary>Activates a valid business with a unique name through the API; asserts the 201 and returns its parts.</summary>
    public async Task<Activation> ActivateSampleAsync(string businessName, string? idempotencyKey = null)
    {
        using var client = CreateOperatorClient();
        using var response = await client.SendAsync(Requests.Activate(ActivationBodies.Valid(businessName), idempotencyKey));
        return await Activation.ReadCreatedAsync(response);
    }

    /// <summary>A connection to the platform database <c>bacbos.db</c>, unpooled so it leaves no handle behind.</summary>
    public Task<SqliteConnection> OpenPlatformDatabaseAsync() => OpenAsync(PlatformDatabaseFile);

    public Task<SqliteConnection> OpenTenantDatabaseAsync(Guid tenantId) => OpenAsync(TenantDatabaseFile(tenantId));

    public async Task<long> PlatformScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenPlatformDatabaseAsync();
        return await ScalarAsync(connection, sql, parameters);
    }

    public static async Task<long> ScalarAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The environment `dotnet run --project src/Gateway` gets (there is no launchSettings.json). In Development the
        // host validates scopes and does not start: see the report on ActivationIntake (singleton) -> IPublishEndpoint (scoped).
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory)
        {
            DeleteDirectory(DataDirectory);
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException("The database file does not exist (yet).", file);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}

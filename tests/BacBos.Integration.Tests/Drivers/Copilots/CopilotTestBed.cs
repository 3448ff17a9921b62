using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Doubles.Llm;
using BacBos.Integration.Tests.Drivers.GitOps;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Drivers.Copilots;

/// <summary>
/// What the step 10 driver needs, for these tests and a later end-to-end test: a migrated platform database
/// (PostgreSQL through <see cref="PostgresDatabase"/>, or a SQLite file), optionally the LLM double, the configuration
/// keys, tenant rows to attach configurations to, and the "no copilot rows left for tenant X" check.
/// </summary>
public sealed class CopilotTestBed : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly PostgresDatabase? _postgres;
    private readonly string _directory;

    private CopilotTestBed(Database database, PostgresDatabase? postgres, string directory, LlmApiDouble? llm)
    {
        Database = database;
        _postgres = postgres;
        _directory = directory;
        Llm = llm;
    }

    public Database Database { get; }

    public LlmApiDouble? Llm { get; }

    public static async Task<CopilotTestBed> StartAsync(bool postgres = true, bool llm = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"bacbos-copilots-{Guid.NewGuid():N}");
        var pg = postgres ? await PostgresDatabase.CreateAsync() : null;
        var database = new Database(new DatabaseOptions
        {
            Provider = postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            ConnectionString = pg?.ConnectionString,
            DataDirectory = directory,
        });
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync();
        return new CopilotTestBed(database, pg, directory, llm ? await LlmApiDouble.StartAsync() : null);
    }

    /// <summary>The configuration keys of the step 10 driver (the LLM endpoint when the double runs; none otherwise).</summary>
    public IReadOnlyDictionary<string, string?> Configuration() => Llm?.Configuration() ?? new Dictionary<string, string?>();

    public ICopilotDriver Driver(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var provider = DriverServices.Build(settings ?? Configuration(), Database);
        lock (_providers)
        {
            _providers.Add(provider);
        }

        return provider.GetRequiredService<ICopilotDriver>();
    }

    /// <summary>The tenant row step 2 would have written (copilot configurations reference it).</summary>
    public async Task<TenantContext> TenantAsync(TenantContext tenant)
    {
        await using var session = await Database.BeginAsync();
        await session.ExecuteAsync(
            "INSERT INTO tenants (id, activation_id, business_name, slug, plan, status, region, currency, industry, created_at, updated_at) " +
            "VALUES (@id, @a, @n, @s, @p, 'active', @r, @c, @i, @now, @now)",
            CancellationToken.None,
            ("id", Database.Id(tenant.TenantId)),
            ("a", Database.Id(tenant.ActivationId)),
            ("n", tenant.Input.BusinessName),
            ("s", tenant.Slug),
            ("p", tenant.Plan),
            ("r", tenant.Input.Region),
            ("c", tenant.Input.Currency),
            ("i", tenant.Input.Industry),
            ("now", Database.Time(DateTimeOffset.UtcNow)));
        await session.CommitAsync();
        return tenant;
    }

    /// <summary>The tenant's <c>copilot_configs</c> rows: module, parsed config, updated_at.</summary>
    public async Task<IReadOnlyList<(string Module, JsonObject Config, DateTimeOffset UpdatedAt)>> RowsAsync(Guid tenantId)
    {
        await using var session = await Database.BeginAsync();
        await using var command = session.Command(
            "SELECT module, config, updated_at FROM copilot_configs WHERE tenant_id = @t ORDER BY module",
            ("t", Database.Id(tenantId)));
        var rows = new List<(string, JsonObject, DateTimeOffset)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), JsonNode.Parse(reader.GetString(1))!.AsObject(), Database.ReadTime(reader, 2)));
            }
        }

        await session.CommitAsync();
        return rows;
    }

    /// <summary>The tenant's <c>copilot_configs</c> rows in any migrated PostgreSQL platform database (for end-to-end checks).</summary>
    public static Task<long> RowsAsync(PostgresDatabase database, Guid tenantId) =>
        database.CountAsync("SELECT COUNT(*) FROM copilot_configs WHERE tenant_id = @t", ("t", tenantId));

    /// <summary>Fails unless the tenant has no copilot configuration left.</summary>
    public async Task AssertNothingLeftForAsync(Guid tenantId)
    {
        var rows = await RowsAsync(tenantId);
        Assert.True(rows.Count == 0, $"copilot_configs rows left: {string.Join(", ", rows.Select(r => r.Module))}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        if (Llm is not null)
        {
            await Llm.DisposeAsync();
        }

        await Database.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

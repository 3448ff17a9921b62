using System.Data.Common;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Sagas;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Sagas;

/// <summary>
/// A migrated platform database and a running MassTransit bus hosting <see cref="CounterStateMachine"/> on the SQL
/// saga repository, with the endpoint policy of <c>BusRegistration.ApplyEndpointPolicy</c>: message retry (here only
/// for optimistic-concurrency conflicts and transient database errors) around an in-memory outbox.
/// </summary>
public abstract class SagaFixture : IAsyncLifetime
{
    /// <summary>Concurrent deliveries per endpoint: enough for the races to be real.</summary>
    public const int Concurrency = 16;

    private readonly List<Database> _databases = [];
    private ServiceProvider? _services;
    private IBusControl? _bus;
    private bool _disposed;

    public abstract string Backend { get; }

    public Database Database { get; private set; } = null!;

    public SagaDocumentStore<CounterState> Store { get; private set; } = null!;

    public IBus Bus => _bus!;

    public FaultLog Faults { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        Database = await NewDatabaseAsync();
        await new Migrator(Database, NullLogger<Migrator>.Instance).MigrateAsync();
        await PrepareTransportAsync();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Database);
        services.AddSingleton<FaultLog>();
        services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            x.AddConfigureEndpointsCallback((context, _, cfg) =>
            {
                if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }

                cfg.UseMessageRetry(r =>
                {
                    r.Handle<ConcurrencyException>();
                    r.Handle<DbException>(e => e.IsTransient);
                    r.Intervals(Enumerable.Range(1, 40).Select(i => Math.Min(10 * i, 200)).ToArray());
                });
                cfg.UseInMemoryOutbox(context);
            });
            x.AddSagaStateMachine<CounterStateMachine, CounterState>().SqlRepository();
            x.AddConsumer<CounterFaultConsumer>();
            UseTransport(x);
        });
        _services = services.BuildServiceProvider();
        Store = _services.GetRequiredService<SagaDocumentStore<CounterState>>();
        Faults = _services.GetRequiredService<FaultLog>();
        _bus = _services.GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _bus.StartAsync(timeout.Token);
    }

    /// <summary>A new, empty platform database (not migrated), removed when the fixture is disposed.</summary>
    public async Task<Database> NewDatabaseAsync()
    {
        var database = new Database(await NewStorageAsync());
        _databases.Add(database);
        return database;
    }

    /// <summary>A second, independent handle (own connections) on the same storage.</summary>
    public Database OpenAgain(Database database)
    {
        var again = new Database(database.Options);
        _databases.Add(again);
        return again;
    }

    /// <summary>Rows of <c>saga_instances</c> for one id, and their version column.</summary>
    public async Task<IReadOnlyList<int>> StoredVersionsAsync(Guid id)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM saga_instances WHERE saga_type = @t AND correlation_id = @id";
        var t = command.CreateParameter();
        t.ParameterName = "t";
        t.Value = SagaDocumentStore<CounterState>.SagaType;
        command.Parameters.Add(t);
        var p = command.CreateParameter();
        p.ParameterName = "id";
        p.Value = Database.Id(id);
        command.Parameters.Add(p);
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    /// <summary>Every <c>*_error</c> queue with its message count (RabbitMQ only; empty otherwise).</summary>
    public virtual Task<IReadOnlyDictionary<string, uint>> ErrorQueuesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, uint>>(new Dictionary<string, uint>());

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_bus is not null)
        {
            await _bus.StopAsync(CancellationToken.None);
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        await CleanUpAsync();
    }

    protected abstract Task<DatabaseOptions> NewStorageAsync();

    protected virtual Task PrepareTransportAsync() => Task.CompletedTask;

    protected abstract void UseTransport(IBusRegistrationConfigurator bus);

    protected abstract Task CleanUpAsync();
}

/// <summary>SQLite files in a temp folder; the in-memory transport.</summary>
public sealed class SqliteSagaFixture : SagaFixture
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bacbos-it", "sqlite-" + Guid.NewGuid().ToString("N"));

    public override string Backend => "SQLite, in-memory transport";

    protected override Task<DatabaseOptions> NewStorageAsync() => Task.FromResult(new DatabaseOptions
    {
        Provider = DatabaseProvider.Sqlite,
        DataDirectory = Path.Combine(_root, Guid.NewGuid().ToString("N")),
    });

    protected override void UseTransport(IBusRegistrationConfigurator bus) =>
        bus.UsingInMemory((context, cfg) =>
        {
            cfg.PrefetchCount = Concurrency;
            cfg.ConcurrentMessageLimit = Concurrency;
            cfg.ConfigureEndpoints(context);
        });

    protected override Task CleanUpAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }

        return Task.CompletedTask;
    }
}

/// <summary>A PostgreSQL database per fixture (and per fresh database asked for); the in-memory transport.</summary>
public class PostgresSagaFixture : SagaFixture
{
    private readonly List<PostgresDatabase> _created = [];

    public override string Backend => "PostgreSQL, in-memory transport";

    protected override async Task<DatabaseOptions> NewStorageAsync()
    {
        var db = await PostgresDatabase.CreateAsync();
        _created.Add(db);
        return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = db.ConnectionString };
    }

    protected override void UseTransport(IBusRegistrationConfigurator bus) =>
        bus.UsingInMemory((context, cfg) =>
        {
            cfg.PrefetchCount = Concurrency;
            cfg.ConcurrentMessageLimit = Concurrency;
            cfg.ConfigureEndpoints(context);
        });

    protected override async Task CleanUpAsync()
    {
        foreach (var db in _created)
        {
            await db.DisposeAsync();
        }
    }
}

/// <summary>PostgreSQL and RabbitMQ (a vhost of its own, quorum queues).</summary>
public sealed class PostgresRabbitMqSagaFixture : PostgresSagaFixture
{
    private RabbitVhost? _vhost;

    public override string Backend => "PostgreSQL, RabbitMQ transport";

    public override async Task<IReadOnlyDictionary<string, uint>> ErrorQueuesAsync() => await _vhost!.ErrorQueuesAsync();

    protected override async Task PrepareTransportAsync() => _vhost = await RabbitVhost.CreateAsync();

    protected override void UseTransport(IBusRegistrationConfigurator bus) =>
        bus.UsingRabbitMq((context, cfg) =>
        {
            cfg.Host(_vhost!.AmqpUri);
            cfg.PrefetchCount = Concurrency;
            cfg.ConfigureEndpoints(context);
        });

    protected override async Task CleanUpAsync()
    {
        await base.CleanUpAsync();
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
    }
}

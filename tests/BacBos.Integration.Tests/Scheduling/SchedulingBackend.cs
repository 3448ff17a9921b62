using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Sagas;
using BacBos.Platform.Scheduling;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Scheduling;

/// <summary>
/// Storage and transport of one test: a fresh PostgreSQL database and RabbitMQ vhost, or a fresh SQLite folder and the
/// in-memory transport. Migrated (including <c>0003_quartz.sql</c>) before any host starts; hosts built on it share the
/// database (and vhost), as two processes of one deployment would.
/// </summary>
public sealed class SchedulingBackend : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;
    private readonly string? _sqliteRoot;
    private readonly List<SchedulingHost> _hosts = [];

    private SchedulingBackend(DatabaseOptions database, PostgresDatabase? postgres, RabbitVhost? vhost, string? sqliteRoot)
    {
        Database = database;
        _postgres = postgres;
        Vhost = vhost;
        _sqliteRoot = sqliteRoot;
    }

    public DatabaseOptions Database { get; }

    /// <summary>The RabbitMQ vhost, or null on the in-memory transport.</summary>
    public RabbitVhost? Vhost { get; }

    public string Describe => Vhost is null ? "SQLite + in-memory transport" : $"PostgreSQL {_postgres!.Name} + RabbitMQ vhost {Vhost.Name}";

    public static async Task<SchedulingBackend> PostgresRabbitMqAsync()
    {
        var postgres = await PostgresDatabase.CreateAsync();
        RabbitVhost? vhost = null;
        try
        {
            vhost = await RabbitVhost.CreateAsync();
            var backend = new SchedulingBackend(
                new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = postgres.ConnectionString },
                postgres, vhost, null);
            await backend.MigrateAsync();
            return backend;
        }
        catch
        {
            if (vhost is not null)
            {
                await vhost.DisposeAsync();
            }

            await postgres.DisposeAsync();
            throw;
        }
    }

    public static async Task<SchedulingBackend> SqliteInMemoryAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "bacbos-it", "scheduling-" + Guid.NewGuid().ToString("N"));
        var backend = new SchedulingBackend(
            new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDirectory = root },
            null, null, root);
        await backend.MigrateAsync();
        return backend;
    }

    /// <summary>Rows of <c>qrtz_triggers</c> named <paramref name="triggerName"/> (any scheduler, any group).</summary>
    public async Task<long> TriggerRowsAsync(string triggerName)
    {
        await using var database = new Database(Database);
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM qrtz_triggers WHERE trigger_name = @name";
        var p = command.CreateParameter();
        p.ParameterName = "name";
        p.Value = triggerName;
        command.Parameters.Add(p);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Starts a host like a BacBos process: the platform database, the SQL saga repository, the scheduler
    /// (<c>AddBacBosScheduler</c> + <c>AddBacBosSchedulerEndpoint</c> + <c>UseBacBosScheduler</c>), the prefixed kebab-case
    /// endpoint names and an endpoint policy of quorum queues, retry and in-memory outbox; <paramref name="modules"/>
    /// adds the test's consumers and sagas.
    /// </summary>
    public async Task<SchedulingHost> StartHostAsync(
        string label,
        string schedulerName,
        ITestOutputHelper output,
        Action<IBusRegistrationConfigurator> modules,
        Action<IServiceCollection>? services = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Scheduler:InstanceName"] = schedulerName,
                ["Scheduler:ClusterCheckinInterval"] = "00:00:02",
            })
            .Build();
        var scheduler = SchedulerOptions.From(configuration);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, label));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("MassTransit", LogLevel.Warning);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Services.AddSingleton(Database);                   // DatabaseOptions
        builder.Services.AddSingleton(_ => new Database(Database)); // the platform database (SQL saga repository)
        builder.Services.AddSingleton(new DeliveryLog(label));
        builder.Services.AddBacBosScheduler(configuration, Database);
        services?.Invoke(builder.Services);

        // Start returns once every receive endpoint is bound: a command sent to the scheduler's exchange before its
        // queue is bound would not be routed.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("bacbos", false));
            x.AddConfigureEndpointsCallback((context, _, cfg) =>
            {
                if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }

                cfg.UseMessageRetry(r => r.Intervals(100, 500, 1000));
                cfg.UseInMemoryOutbox(context);
            });
            x.AddBacBosSchedulerEndpoint(scheduler);
            modules(x);

            if (Vhost is { } vhost)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(vhost.AmqpUri);
                    cfg.UseBacBosScheduler(scheduler);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseBacBosScheduler(scheduler);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        var host = builder.Build();
        var started = new SchedulingHost(label, host, scheduler);
        _hosts.Add(started);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        if (Vhost is not null)
        {
            await Vhost.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        DeleteSqliteRoot(_sqliteRoot);
    }

    /// <summary>Removes a test's SQLite folder after releasing pooled connections (best effort: a temp folder).</summary>
    internal static void DeleteSqliteRoot(string? root)
    {
        if (root is null)
        {
            return;
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Not there (nothing was written) or still in use: a temp folder either way.
        }
    }

    private async Task MigrateAsync()
    {
        await using var database = new Database(Database);
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync();
    }
}

/// <summary>One running host (bus + scheduler) of a test.</summary>
public sealed class SchedulingHost(string label, IHost host, SchedulerOptions options) : IAsyncDisposable
{
    private bool _stopped;

    public string Label => label;

    public SchedulerOptions Options => options;

    public IServiceProvider Services => host.Services;

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    /// <summary>The scheduler clients use (<c>AddMessageScheduler</c>): sends scheduling commands to the scheduler queue.</summary>
    public IMessageScheduler Scheduler => host.Services.GetRequiredService<IMessageScheduler>();

    public DeliveryLog Deliveries => host.Services.GetRequiredService<DeliveryLog>();

    public SagaDocumentStore<TSaga> Sagas<TSaga>()
        where TSaga : class, IPersistedSaga =>
        host.Services.GetRequiredService<SagaDocumentStore<TSaga>>();

    /// <summary>
    /// The endpoint (exchange bound to the queue of the same name) the endpoint name formatter gives a consumer. Not a
    /// <c>queue:</c> address: its sender would declare the queue as a classic queue, which RabbitMQ refuses for the
    /// consumer's quorum queue.
    /// </summary>
    public static Uri QueueOf<TConsumer>()
        where TConsumer : class, IConsumer =>
        new("exchange:" + new KebabCaseEndpointNameFormatter("bacbos", false).Consumer<TConsumer>());

    /// <summary>Stops the bus (and with it the scheduler) and the host.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}

/// <summary>Host logs into the test output (ignored once the test has finished).</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output, string label) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, label, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string label, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.fff}] [{label}] {logLevel} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished.
            }
        }
    }
}

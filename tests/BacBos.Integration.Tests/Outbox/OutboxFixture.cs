using System.Globalization;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using BacBos.Platform.Outbox;
using BacBos.Platform.Sagas;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BacBos.Integration.Tests.Outbox;

/// <summary>
/// A migrated platform database (plus the test table <c>outbox_test_rows</c>) and a running bus built like the
/// platform's: <c>AddSqlOutbox</c>, and on every endpoint <see cref="BusRegistration.ApplyEndpointPolicy"/> (message
/// retry around the SQL inbox/outbox). The bus outbox delivery service runs as the hosted service it is registered as.
/// </summary>
public abstract class OutboxFixture : IAsyncLifetime
{
    public const string EndpointPrefix = "outbox-it";

    /// <summary>Short retries: a failing message exhausts them (4 attempts) in well under a second.</summary>
    public static readonly BusOptions BusOptions = new()
    {
        EndpointPrefix = EndpointPrefix,
        PrefetchCount = 16,
        QuorumQueues = true,
        RetryIntervalsMs = [20, 40, 80],

        // These buses have no scheduler: failures go straight to _error after the immediate retries.
        RedeliveryIntervalsMs = [],
    };

    public static readonly OutboxOptions OutboxOptions = new()
    {
        DeliveryPollInterval = TimeSpan.FromMilliseconds(200),
        DuplicateDetectionWindow = TimeSpan.FromMinutes(30),
        CleanupInterval = TimeSpan.FromHours(1),
    };

    public static readonly IEndpointNameFormatter EndpointNames = new KebabCaseEndpointNameFormatter(EndpointPrefix, false);

    private readonly List<Database> _databases = [];
    private ServiceProvider? _services;
    private IBusControl? _bus;
    private BusOutboxDeliveryService? _delivery;
    private bool _disposed;

    public abstract string Backend { get; }

    public Database Database { get; private set; } = null!;

    public IServiceProvider Services => _services!;

    public IBus Bus => _bus!;

    public OutboxProbe Probe { get; } = new();

    public DeliveryGate Gate { get; } = new();

    public ReceiveLog Received { get; } = new();

    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public TimeSpan StartTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }

        StartTime = clock.Elapsed;
    }

    private async Task StartAsync()
    {
        Database = await NewDatabaseAsync();
        await PrepareTransportAsync();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Database.Options);
        services.AddSingleton(Database);
        services.AddSingleton<Migrator>();
        services.AddSingleton(BusOptions);
        services.AddSingleton(Probe);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSqlOutbox(OutboxOptions);
        services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(EndpointNames);
            x.AddConfigureEndpointsCallback((context, _, cfg) =>
            {
                BusRegistration.ApplyEndpointPolicy(cfg, BusOptions, context);
                cfg.ConnectSagaConfigurationObserver(new FailAfterSagaStepObserver(Probe));
            });
            x.AddConsumer<PlaceOrderConsumer>();
            x.AddConsumer<PlaceDoomedOrderConsumer>();
            x.AddConsumer<RecordPaymentConsumer>();
            x.AddConsumer<ShipOrderConsumer>();
            // One at a time, so the order of receipts is the order of delivery.
            x.AddConsumer<FollowUpConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
            x.AddConsumer<OutboxFaultConsumer>();
            x.AddSagaStateMachine<TicketStateMachine, TicketState>().SqlRepository();
            UseTransport(x);
        });

        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<Migrator>().MigrateAsync();
        await ExecuteAsync(Database, BusinessRows.CreateTable);
        _bus = _services.GetRequiredService<IBusControl>();
        _bus.ConnectSendObserver(Gate);
        _bus.ConnectPublishObserver(Gate);
        _bus.ConnectReceiveObserver(Received);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _bus.StartAsync(timeout.Token);

        _delivery = _services.GetServices<IHostedService>().OfType<BusOutboxDeliveryService>().Single();
        await _delivery.StartAsync(timeout.Token);
    }

    /// <summary>A new, empty platform database (not migrated), removed when the fixture is disposed.</summary>
    public async Task<Database> NewDatabaseAsync()
    {
        var database = new Database(await NewStorageAsync());
        _databases.Add(database);
        return database;
    }

    public Task<long> CountAsync(string sql, params (string Name, object? Value)[] parameters) => CountAsync(Database, sql, parameters);

    public static async Task<long> CountAsync(Database database, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var session = await database.BeginOwnedAsync();
        var value = await session.ScalarAsync(sql, default, parameters);
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(Database database, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var session = await database.BeginOwnedAsync();
        await session.ExecuteAsync(sql, default, parameters);
        await session.CommitAsync();
    }

    /// <summary>Business rows written for a key.</summary>
    public Task<long> BusinessRowsAsync(Guid key) =>
        CountAsync("SELECT COUNT(*) FROM outbox_test_rows WHERE test_key = @k", ("k", key.ToString("D")));

    /// <summary>The inbox rows of one received message (all consumers).</summary>
    public async Task<IReadOnlyList<InboxSnapshot>> InboxAsync(Guid messageId)
    {
        await using var session = await Database.BeginOwnedAsync();
        await using var command = session.Command(
            "SELECT receive_count, consumed_at, delivered_at, last_sequence_number FROM inbox_state WHERE message_id = @m",
            ("m", Database.Id(messageId)));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<InboxSnapshot>();
        while (await reader.ReadAsync())
        {
            rows.Add(new InboxSnapshot(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : Database.ReadTime(reader, 1),
                reader.IsDBNull(2) ? null : Database.ReadTime(reader, 2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return rows;
    }

    /// <summary>The stored outgoing messages of one received message, in sequence order.</summary>
    public async Task<IReadOnlyList<(long Sequence, Guid MessageId)>> OutboxAsync(Guid inboxMessageId)
    {
        await using var session = await Database.BeginOwnedAsync();
        await using var command = session.Command(
            "SELECT sequence_number, message_id FROM outbox_message WHERE inbox_message_id = @m ORDER BY sequence_number",
            ("m", Database.Id(inboxMessageId)));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, Guid)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), Database.ReadId(reader, 1)));
        }

        return rows;
    }

    /// <summary>Messages in the <c>_error</c> queue of a consumer's endpoint; null where the transport has none (in-memory).</summary>
    public virtual Task<uint?> ErrorQueueMessagesAsync(string endpointName) => Task.FromResult<uint?>(null);

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_delivery is not null)
        {
            await _delivery.StopAsync(CancellationToken.None);
        }

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

public sealed record InboxSnapshot(int ReceiveCount, DateTimeOffset? ConsumedAt, DateTimeOffset? DeliveredAt, long? LastSequenceNumber);

/// <summary>SQLite files in a temp folder; the in-memory transport.</summary>
public sealed class SqliteInMemoryOutboxFixture : OutboxFixture
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bacbos-it", "outbox-" + Guid.NewGuid().ToString("N"));

    public override string Backend => "SQLite + in-memory transport";

    protected override Task<DatabaseOptions> NewStorageAsync() => Task.FromResult(new DatabaseOptions
    {
        Provider = DatabaseProvider.Sqlite,
        DataDirectory = Path.Combine(_root, Guid.NewGuid().ToString("N")),
    });

    protected override void UseTransport(IBusRegistrationConfigurator bus) =>
        bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));

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

/// <summary>A PostgreSQL database and a RabbitMQ vhost of its own (quorum queues, as in production).</summary>
public sealed class PostgresRabbitMqOutboxFixture : OutboxFixture
{
    private readonly List<PostgresDatabase> _created = [];
    private RabbitVhost? _vhost;

    public override string Backend => "PostgreSQL + RabbitMQ";

    public override async Task<uint?> ErrorQueueMessagesAsync(string endpointName) => await _vhost!.ReadyMessagesAsync(endpointName + "_error");

    protected override async Task<DatabaseOptions> NewStorageAsync()
    {
        var db = await PostgresDatabase.CreateAsync();
        _created.Add(db);
        return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = db.ConnectionString };
    }

    protected override async Task PrepareTransportAsync() => _vhost = await RabbitVhost.CreateAsync();

    protected override void UseTransport(IBusRegistrationConfigurator bus) =>
        bus.UsingRabbitMq((context, cfg) =>
        {
            cfg.Host(_vhost!.AmqpUri);
            cfg.PrefetchCount = BusOptions.PrefetchCount;
            cfg.ConfigureEndpoints(context);
        });

    protected override async Task CleanUpAsync()
    {
        foreach (var db in _created)
        {
            await db.DisposeAsync();
        }

        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }
    }
}

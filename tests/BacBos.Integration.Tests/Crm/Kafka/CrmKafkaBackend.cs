using BacBos.Consumers.Crm.Kafka;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Scheduling;
using BacBos.Platform;
using BacBos.Platform.Messaging;
using BacBos.Platform.Scheduling;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Crm.Kafka;

/// <summary>
/// One test's servers: a fresh PostgreSQL database and RabbitMQ vhost (or, embedded, a fresh SQLite folder and the
/// in-memory transport) and a librdkafka mock cluster. Nodes started
/// on it are composed exactly like the worker (<c>AddBacBosPlatform</c>, <c>AddCrmKafka</c>, <c>AddBacBosBus</c> with
/// <c>AddCrmKafkaBridge</c>: migrations, Quartz scheduler, the SQL inbox/outbox and retry/redelivery policy on every
/// endpoint) plus the test's own consumers; several nodes share the servers like replicas of one deployment.
/// </summary>
public sealed class CrmKafkaBackend : IAsyncDisposable
{
    private readonly List<SchedulingHost> _nodes = [];
    private readonly string? _sqliteRoot;

    private CrmKafkaBackend(PostgresDatabase? postgres, RabbitVhost? vhost, string? sqliteRoot, KafkaMockCluster kafka)
    {
        Postgres = postgres;
        Vhost = vhost;
        _sqliteRoot = sqliteRoot;
        Kafka = kafka;
    }

    /// <summary>The PostgreSQL database, or null when embedded (SQLite).</summary>
    public PostgresDatabase? Postgres { get; }

    /// <summary>The RabbitMQ vhost, or null when embedded (in-memory transport).</summary>
    public RabbitVhost? Vhost { get; }

    public KafkaMockCluster Kafka { get; }

    public string Describe => Postgres is null ? "SQLite + in-memory transport" : "PostgreSQL + RabbitMQ";

    /// <summary>PostgreSQL + RabbitMQ (<paramref name="embedded"/> false) or SQLite + in-memory transport.</summary>
    public static async Task<CrmKafkaBackend> StartAsync(bool embedded = false)
    {
        var kafka = KafkaMockCluster.Start();
        if (embedded)
        {
            return new CrmKafkaBackend(null, null, Path.Combine(Path.GetTempPath(), "bacbos-it", "crm-kafka-" + Guid.NewGuid().ToString("N")), kafka);
        }

        PostgresDatabase? postgres = null;
        try
        {
            postgres = await PostgresDatabase.CreateAsync();
            return new CrmKafkaBackend(postgres, await RabbitVhost.CreateAsync(), null, kafka);
        }
        catch
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            kafka.Dispose();
            throw;
        }
    }

    /// <summary>The worker's configuration on these servers; <paramref name="overrides"/> win (null removes a key).</summary>
    public Dictionary<string, string?> Configuration(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Security:DataKey"] = Convert.ToBase64String(new byte[32]),
            ["Crm:Kafka:BootstrapServers"] = Kafka.BootstrapServers,

            // A test consumer group joins the mock cluster's coordinator in ~3 s; a restarted one should not wait 45 s
            // for its predecessor's session to expire.
            ["Crm:Kafka:ConsumerSettings:session.timeout.ms"] = "6000",
            ["Crm:Kafka:ConsumerSettings:heartbeat.interval.ms"] = "500",
        };
        if (Postgres is not null && Vhost is not null)
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Postgres"] = Postgres.ConnectionString;
            settings["Bus:Transport"] = "RabbitMq";
            settings["ConnectionStrings:RabbitMq"] = Vhost.AmqpUri.ToString();
        }
        else
        {
            settings["Database:Provider"] = "Sqlite";
            settings["Database:DataDirectory"] = _sqliteRoot;
            settings["Bus:Transport"] = "InMemory";
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A node (host with bus, scheduler and the Kafka services), stopped and disposed with the backend.</summary>
    public async Task<SchedulingHost> StartNodeAsync(
        string label,
        ITestOutputHelper output,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IBusRegistrationConfigurator>? modules = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(Configuration(overrides).Where(kv => kv.Value is not null));
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, label));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("MassTransit", LogLevel.Warning);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        services?.Invoke(builder.Services);
        builder.Services
            .AddBacBosPlatform(builder.Configuration)
            .AddCrmKafka(builder.Configuration)
            .AddBacBosBus(builder.Configuration, bus =>
            {
                bus.AddCrmKafkaBridge(builder.Configuration);
                modules?.Invoke(bus);
            });
        var host = builder.Build();
        var node = new SchedulingHost(label, host, SchedulerOptions.From(builder.Configuration));
        _nodes.Add(node);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await host.StartAsync(timeout.Token);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (Vhost is not null)
        {
            await Vhost.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        Scheduling.SchedulingBackend.DeleteSqliteRoot(_sqliteRoot);

        Kafka.Dispose();
    }
}

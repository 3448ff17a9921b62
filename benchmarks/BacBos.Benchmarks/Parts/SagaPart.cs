using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Parts.Saga;
using BacBos.Benchmarks.Report;
using BacBos.Platform;
using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using BacBos.Platform.Sagas;
using MassTransit;

namespace BacBos.Benchmarks.Parts;

/// <summary>
/// Scenario 1: persisted saga transitions per second. A host composed like the worker (<c>AddBacBosPlatform</c> +
/// <c>AddBacBosBus</c>: RabbitMQ with quorum queues, the shared endpoint policy with retry and the platform's
/// inbox/outbox) runs <see cref="BenchSagaStateMachine"/> on the platform's SQL saga repository in PostgreSQL; many
/// instances run at once. Config: BENCH_POSTGRES, BENCH_RABBITMQ.
/// </summary>
public static class SagaPart
{
    public const string EndpointPrefix = "bacbos-bench";

    public static async Task<PartResult> RunAsync(Args args)
    {
        var instances = args.Number("instances", 1000);
        var warmup = args.Number("warmup", 100);
        var inflight = args.Number("inflight", 64);
        var timeout = TimeSpan.FromSeconds(args.Seconds("timeout-seconds", 300));

        // The worker's own composition (platform services, AddBacBosBus: transport, endpoint policy, inbox/outbox and
        // its delivery service), with only the benchmark saga and its completion/fault consumers on the bus.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = Required("BENCH_POSTGRES"),
            ["Database:DataDirectory"] = Path.Combine(Path.GetTempPath(), "bacbos-bench-saga-" + Guid.NewGuid().ToString("N")[..8]),
            ["Security:DataKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:EndpointPrefix"] = EndpointPrefix,
            ["ConnectionStrings:RabbitMq"] = Required("BENCH_RABBITMQ"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton<SagaTracker>();

        // Publish only once every endpoint (and so its queue binding) exists; an early publish would be dropped.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
        });
        builder.Services
            .AddBacBosPlatform(builder.Configuration)
            .AddBacBosBus(builder.Configuration, bus =>
            {
                bus.AddSagaStateMachine<BenchSagaStateMachine, BenchSagaState>().SqlRepository();
                bus.AddConsumer<BenchSagaFinishedConsumer>();
                bus.AddConsumer<BenchSagaFaultConsumer>();
            });

        using var host = builder.Build();
        using (var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            await host.StartAsync(startTimeout.Token);
        }

        var bus = host.Services.GetRequiredService<IBus>();
        var tracker = host.Services.GetRequiredService<SagaTracker>();
        var database = host.Services.GetRequiredService<Database>();
        var busOptions = host.Services.GetRequiredService<BusOptions>();
        try
        {
            if (warmup > 0)
            {
                await RoundAsync(bus, tracker, warmup, inflight, timeout);
            }

            var elapsed = await RoundAsync(bus, tracker, instances, inflight, timeout);
            var measurement = new PartMeasurement
            {
                Name = "transitions",
                Count = 3L * tracker.Finished,
                ElapsedSeconds = elapsed.TotalSeconds,
                Latency = tracker.Latency.Summary(),
                Extra = { ["instances"] = tracker.Finished, ["inflight_publishes"] = inflight, ["prefetch"] = busOptions.PrefetchCount },
            };

            var checks = new Checks();
            checks.Equal("instances finished", instances, tracker.Finished);
            checks.Zero("wrong transition counts", tracker.WrongTransitions);
            checks.Zero("unexpected completions", tracker.Unexpected);
            checks.Zero("faults", tracker.Faults.Count);
            foreach (var fault in tracker.Faults.Take(3))
            {
                checks.Fail(fault);
            }

            var total = warmup + instances;
            var (rows, done, versions, transitions) = await StoredAsync(database);
            checks.Equal("saga rows", total, rows);
            checks.Equal("rows in Done", total, done);
            checks.Equal("transitions in documents", 3L * total, transitions);
            checks.True(versions >= 3L * total, $"row versions {versions} (≥ 3 writes per instance)", $"row versions {versions} < 3 per instance");
            measurement.Extra["row_writes_per_instance"] = rows == 0 ? 0 : Math.Round((double)versions / rows, 2);
            measurement.Apply(checks);
            return new PartResult { Measurements = { measurement } };
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<TimeSpan> RoundAsync(IBus bus, SagaTracker tracker, int instances, int inflight, TimeSpan timeout)
    {
        tracker.BeginRound(instances);
        var ids = Enumerable.Range(0, instances).Select(_ => NewId.NextGuid()).ToList();
        var start = LatencyRecorder.Now();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = inflight }, async (id, ct) =>
        {
            tracker.Started(id);
            await bus.Publish(new StartBenchSaga(id), ct);
        });

        try
        {
            await tracker.All.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Reported by the checks (instances finished < sent).
        }

        return TimeSpan.FromMilliseconds(LatencyRecorder.MillisecondsSince(start));
    }

    private static async Task<(long Rows, long Done, long Versions, long Transitions)> StoredAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT count(*), count(*) FILTER (WHERE current_state = 'Done'), coalesce(sum(version), 0), " +
            "coalesce(sum((data->>'transitions')::int), 0) FROM saga_instances WHERE saga_type = @t";
        var p = command.CreateParameter();
        p.ParameterName = "t";
        p.Value = SagaDocumentStore<BenchSagaState>.SagaType;
        command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    internal static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set");
}

using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Parts;
using BacBos.Benchmarks.Report;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1: persisted saga transitions per second on RabbitMQ + PostgreSQL, with two same-run baselines — raw
/// RabbitMQ round trips (RabbitMQ.Client) and raw PostgreSQL single-row update commits (Npgsql). Each runs as its own
/// process on a database and vhost of its own.
/// </summary>
public static class SagaScenario
{
    public const string Title = "1. Saga throughput";

    public static async Task<IReadOnlyList<ScenarioRow>> RunAsync(RunContext context)
    {
        var sizes = context.Sizes;
        var transitions = 3 * sizes.SagaInstances;
        var saga = new ScenarioRow
        {
            Id = "saga.transitions",
            Scenario = Title,
            Variant = $"3-state saga on RabbitMQ + PostgreSQL, {sizes.SagaInstances} instances at once (prefetch 32)",
            Unit = "transitions/s",
            BaselineIds = ["saga.rabbitmq", "saga.postgres"],
            Note = "latency = Start published → Done event received (3 transitions)",
        };
        var rabbit = new ScenarioRow
        {
            Id = "saga.rabbitmq",
            ShortName = "raw RabbitMQ",
            Scenario = Title,
            Variant = $"baseline: raw RabbitMQ.Client publish+consume, persistent, confirms, quorum queue ({transitions} msgs)",
            Unit = "round trips/s",
            IsBaseline = true,
        };
        var postgres = new ScenarioRow
        {
            Id = "saga.postgres",
            ShortName = "raw PostgreSQL",
            Scenario = Title,
            Variant = $"baseline: raw Npgsql single-row UPDATE commits, 32 at once ({transitions} updates)",
            Unit = "commits/s",
            IsBaseline = true,
        };

        await Rows.GuardAsync([saga], async () =>
        {
            await using var database = await BenchDatabase.CreateAsync();
            await using var vhost = await BenchVhost.CreateAsync();
            Log.Info($"saga: {sizes.SagaInstances} instances (+{sizes.SagaWarmup} warm-up)");
            var result = await PartLauncher.RunAsync(
                "saga",
                new Dictionary<string, string>
                {
                    ["instances"] = $"{sizes.SagaInstances}",
                    ["warmup"] = $"{sizes.SagaWarmup}",
                    ["inflight"] = $"{sizes.Inflight}",
                    ["timeout-seconds"] = $"{sizes.WaitTimeout.TotalSeconds}",
                },
                Environment(database, vhost),
                context.WorkDirectory,
                context.LogDirectory,
                sizes.WaitTimeout + TimeSpan.FromMinutes(1));
            Rows.FromPart(saga, result.Get("transitions"), result.PeakRssBytes, "saga host");
            await CheckDeadLettersAsync(saga, vhost);
        });

        await Rows.GuardAsync([rabbit], async () =>
        {
            await using var vhost = await BenchVhost.CreateAsync();
            Log.Info($"saga baseline: raw RabbitMQ, {transitions} round trips");
            var result = await PartLauncher.RunAsync(
                "raw-rabbitmq",
                new Dictionary<string, string>
                {
                    ["messages"] = $"{transitions}",
                    ["warmup"] = $"{3 * sizes.SagaWarmup}",
                    ["inflight"] = $"{sizes.Inflight}",
                    ["timeout-seconds"] = $"{sizes.WaitTimeout.TotalSeconds}",
                },
                new Dictionary<string, string> { ["BENCH_RABBITMQ"] = vhost.AmqpUri.ToString() },
                context.WorkDirectory,
                context.LogDirectory,
                sizes.WaitTimeout + TimeSpan.FromMinutes(1));
            Rows.FromPart(rabbit, result.Get("roundtrips"), result.PeakRssBytes, "RabbitMQ.Client process");
        });

        await Rows.GuardAsync([postgres], async () =>
        {
            await using var database = await BenchDatabase.CreateAsync();
            Log.Info($"saga baseline: raw PostgreSQL, {transitions} update commits");
            var options = new Dictionary<string, string>
            {
                ["updates"] = $"{transitions}",
                ["warmup"] = $"{3 * sizes.SagaWarmup}",
                ["concurrency"] = "32",
            };
            if (context.Fault is { } fault)
            {
                options["fault"] = fault;
            }

            var result = await PartLauncher.RunAsync(
                "raw-postgres",
                options,
                new Dictionary<string, string> { ["BENCH_POSTGRES"] = database.ConnectionString },
                context.WorkDirectory,
                context.LogDirectory,
                sizes.WaitTimeout + TimeSpan.FromMinutes(1));
            Rows.FromPart(postgres, result.Get("updates"), result.PeakRssBytes, "Npgsql process");
        });

        return [saga, rabbit, postgres];
    }

    private static Dictionary<string, string> Environment(BenchDatabase database, BenchVhost vhost) => new()
    {
        ["BENCH_POSTGRES"] = database.ConnectionString,
        ["BENCH_RABBITMQ"] = vhost.AmqpUri.ToString(),
    };

    /// <summary>Nothing may have ended in an <c>_error</c> or <c>_skipped</c> queue.</summary>
    public static async Task CheckDeadLettersAsync(ScenarioRow row, BenchVhost vhost)
    {
        var dead = await vhost.DeadLetterQueuesAsync();
        row.Checks.Zero("messages in _error/_skipped queues", dead.Values.Sum(v => (long)v));
        if (dead.Count > 0)
        {
            row.Checks.Fail(string.Join(", ", dead.Select(d => $"{d.Key}: {d.Value}")));
        }
    }
}

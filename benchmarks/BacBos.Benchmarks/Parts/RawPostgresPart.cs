using System.Text.Json;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Report;
using Npgsql;

namespace BacBos.Benchmarks.Parts;

/// <summary>
/// Baseline for scenario 1: raw single-row UPDATE commits per second with Npgsql (autocommit, one statement, a
/// pooled connection per update, a JSON document of the saga document's size), as many at once as the saga
/// endpoint's prefetch. Config: BENCH_POSTGRES. <c>--fault skip-one-update</c> counts an update it never sends, to
/// prove the check catches a lost write.
/// </summary>
public static class RawPostgresPart
{
    public static async Task<PartResult> RunAsync(Args args)
    {
        var updates = args.Number("updates", 3000);
        var warmup = args.Number("warmup", 300);
        var concurrency = args.Number("concurrency", 32);
        var rowCount = args.Number("rows", 1000);
        var skipOne = args.Value("fault") == "skip-one-update";

        var builder = new NpgsqlConnectionStringBuilder(SagaPart.Required("BENCH_POSTGRES")) { MaxPoolSize = Math.Max(100, concurrency * 2) };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var setup = source.CreateCommand(
            "CREATE TABLE IF NOT EXISTS bench_raw_rows (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, data jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());" +
            $"INSERT INTO bench_raw_rows (id, data) SELECT g, '{{}}' FROM generate_series(1, {rowCount}) g ON CONFLICT DO NOTHING;"))
        {
            await setup.ExecuteNonQueryAsync();
        }

        if (warmup > 0)
        {
            await RoundAsync(source, warmup, concurrency, rowCount, skipOne: false);
        }

        var (elapsed, latency, wrong) = await RoundAsync(source, updates, concurrency, rowCount, skipOne);
        await using var sum = source.CreateCommand("SELECT coalesce(sum(n), 0) FROM bench_raw_rows");
        var committed = Convert.ToInt64(await sum.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        var checks = new Checks();
        checks.Equal("committed updates (sum of counters)", warmup + updates, committed);
        checks.Zero("updates that did not hit exactly one row", wrong);
        var measurement = new PartMeasurement
        {
            Name = "updates",
            Count = updates,
            ElapsedSeconds = elapsed.TotalSeconds,
            Latency = latency.Summary(),
            Extra = { ["concurrency"] = concurrency, ["rows"] = rowCount },
        };
        measurement.Apply(checks);
        return new PartResult { Measurements = { measurement } };
    }

    private static async Task<(TimeSpan Elapsed, LatencyRecorder Latency, int Wrong)> RoundAsync(NpgsqlDataSource source, int updates, int concurrency, int rowCount, bool skipOne)
    {
        var latency = new LatencyRecorder();
        var next = -1;
        var wrong = 0;
        var document = JsonSerializer.Serialize(new
        {
            correlationId = Guid.NewGuid(),
            currentState = "Processing",
            transitions = 2,
            transitionedAt = new[] { DateTimeOffset.UtcNow, DateTimeOffset.UtcNow },
        });
        var start = LatencyRecorder.Now();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= updates)
                {
                    return;
                }

                var began = LatencyRecorder.Now();
                if (skipOne && i == 0)
                {
                    latency.AddSince(began);
                    continue;
                }

                await using var connection = await source.OpenConnectionAsync();
                await using var command = new NpgsqlCommand("UPDATE bench_raw_rows SET n = n + 1, data = @d::jsonb, updated_at = now() WHERE id = @id", connection);
                command.Parameters.AddWithValue("d", document);
                command.Parameters.AddWithValue("id", (i % rowCount) + 1);
                if (await command.ExecuteNonQueryAsync() != 1)
                {
                    Interlocked.Increment(ref wrong);
                }

                latency.AddSince(began);
            }
        }).ToList();
        await Task.WhenAll(workers);
        return (TimeSpan.FromMilliseconds(LatencyRecorder.MillisecondsSince(start)), latency, wrong);
    }
}

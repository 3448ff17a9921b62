using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Parts;
using BacBos.Benchmarks.Report;
using BacBos.Platform.Data;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>
/// Scenarios 2 and 5: <c>POST /api/v1/activate</c> to completion (the gateway waits up to
/// <c>Gateway:ActivationWait</c>, set far above any activation, so its 201 is the completion point), one at a time and
/// N at once. Split: gateway and worker as two processes on RabbitMQ + PostgreSQL. Embedded: the gateway alone on
/// the in-memory transport + SQLite. Baseline: the same eleven steps as direct in-process calls against the same
/// database (<see cref="DirectActivationPart"/>), run after the hosts stopped.
/// </summary>
public static class ActivationScenario
{
    public const string SplitTitle = "2. Activation end to end";
    public const string EmbeddedTitle = "5. Embedded default";
    public const int Steps = 11;

    public static Task<IReadOnlyList<ScenarioRow>> RunSplitAsync(RunContext context) =>
        RunAsync(context, embedded: false);

    public static Task<IReadOnlyList<ScenarioRow>> RunEmbeddedAsync(RunContext context) =>
        RunAsync(context, embedded: true);

    private static async Task<IReadOnlyList<ScenarioRow>> RunAsync(RunContext context, bool embedded)
    {
        var sizes = context.Sizes;
        var (key, title, setting) = embedded
            ? ("embedded", EmbeddedTitle, "gateway alone, in-memory transport + SQLite")
            : ("activation", SplitTitle, "gateway + worker processes, RabbitMQ + PostgreSQL");
        var c = sizes.ActivationConcurrency;
        var e2e1 = new ScenarioRow
        {
            Id = $"{key}.c1",
            Scenario = title,
            Variant = $"{setting}: 1 at a time (n={sizes.ActivationSequential})",
            Unit = "activations/min",
            BaselineIds = [$"{key}.c1.direct"],
        };
        var e2eN = new ScenarioRow
        {
            Id = $"{key}.c{c}",
            Scenario = title,
            Variant = $"{setting}: {c} at once, saturation (n={sizes.ActivationTotal})",
            Unit = "activations/min",
            BaselineIds = [$"{key}.c{c}.direct"],
        };
        var direct1 = new ScenarioRow
        {
            Id = $"{key}.c1.direct",
            ShortName = "direct calls",
            Scenario = title,
            Variant = $"baseline: the same 11 steps as direct in-process calls, 1 at a time (n={sizes.ActivationSequential})",
            Unit = "activations/min",
            IsBaseline = true,
        };
        var directN = new ScenarioRow
        {
            Id = $"{key}.c{c}.direct",
            ShortName = "direct calls",
            Scenario = title,
            Variant = $"baseline: direct in-process calls, {c} at once (n={sizes.ActivationTotal})",
            Unit = "activations/min",
            IsBaseline = true,
        };

        var tag = $"Bench {key} {Guid.NewGuid():N}"[..24];
        var dataKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var root = context.Folder(key);
        BenchDatabase? postgres = null;
        BenchVhost? vhost = null;
        var databaseOptions = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDirectory = Path.Combine(root, "data") };
        try
        {
            await Rows.GuardAsync([e2e1, e2eN], async () =>
            {
                var common = new Dictionary<string, string>
                {
                    ["Security__DataKey"] = dataKey,
                    ["Security__OperatorKeys__0"] = OperatorKey,
                    ["Drivers__GitOps__Directory"] = Path.Combine(root, "gitops"),
                    ["Gateway__ActivationWait"] = "00:05:00",
                };
                if (embedded)
                {
                    common["Bus__Transport"] = "InMemory";
                    common["Database__Provider"] = "Sqlite";
                    common["Database__DataDirectory"] = databaseOptions.DataDirectory;
                }
                else
                {
                    postgres = await BenchDatabase.CreateAsync();
                    vhost = await BenchVhost.CreateAsync();
                    databaseOptions = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = postgres.ConnectionString };
                    common["Bus__Transport"] = "RabbitMq";
                    common["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString();
                    common["Database__Provider"] = "Postgres";
                    common["ConnectionStrings__Postgres"] = postgres.ConnectionString;
                }

                var processes = new List<ChildProcess>();
                try
                {
                    Uri gateway;
                    if (embedded)
                    {
                        var started = await Hosts.StartAsync("gateway-embedded", "Gateway", common, context.LogDirectory);
                        processes.Add(started.Process);
                        gateway = started.BaseAddress;
                    }
                    else
                    {
                        var gatewayEnvironment = new Dictionary<string, string>(common) { ["Gateway__HostWorker"] = "false", ["Database__DataDirectory"] = Path.Combine(root, "data-gateway") };
                        var workerEnvironment = new Dictionary<string, string>(common) { ["Database__DataDirectory"] = Path.Combine(root, "data-worker") };
                        var split = await Hosts.StartSplitAsync(gatewayEnvironment, workerEnvironment, context.LogDirectory);
                        processes.AddRange([split.Gateway, split.Worker]);
                        gateway = split.Address;
                    }

                    using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(6) };
                    http.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
                    var number = 0;
                    var failures = new List<string>();
                    Log.Info($"{key}: warm-up {sizes.ActivationWarmup}, then {sizes.ActivationSequential} one at a time, then {sizes.ActivationTotal} with {c} at once");
                    await MeasureAsync(http, sizes.ActivationWarmup, 1, tag, () => Interlocked.Increment(ref number), failures);
                    var one = await MeasureAsync(http, sizes.ActivationSequential, 1, tag, () => Interlocked.Increment(ref number), failures);
                    var many = await MeasureAsync(http, sizes.ActivationTotal, c, tag, () => Interlocked.Increment(ref number), failures);

                    foreach (var process in processes)
                    {
                        var name = process.Name;
                        Rows.AddProcess(e2e1, name, process.PeakRssBytes());
                        Rows.AddProcess(e2eN, name, process.PeakRssBytes());
                    }

                    Fill(e2e1, one, sizes.ActivationSequential, failures);
                    Fill(e2eN, many, sizes.ActivationTotal, failures);

                    var expected = sizes.ActivationWarmup + sizes.ActivationSequential + sizes.ActivationTotal;
                    await using var database = new Database(databaseOptions);
                    var (tenants, sagas) = await StoredAsync(database, tag);
                    foreach (var row in new[] { e2e1, e2eN })
                    {
                        row.Checks.Equal("tenants active in the database", expected, tenants);
                        row.Checks.Equal("activation sagas Completed", expected, sagas);
                    }

                    if (vhost is not null)
                    {
                        await SagaScenario.CheckDeadLettersAsync(e2eN, vhost);
                    }
                }
                finally
                {
                    foreach (var process in processes)
                    {
                        process.Dispose();
                    }
                }
            });

            await Rows.GuardAsync([direct1, directN], async () =>
            {
                Log.Info($"{key} baseline: direct in-process step calls");
                var environment = new Dictionary<string, string>
                {
                    ["BENCH_DB_PROVIDER"] = databaseOptions.Provider.ToString(),
                    ["BENCH_DATA_DIR"] = embedded ? databaseOptions.DataDirectory : Path.Combine(root, "data-direct"),
                    ["BENCH_GITOPS_DIR"] = Path.Combine(root, "gitops-direct"),
                    ["BENCH_DATA_KEY"] = dataKey,
                };
                if (databaseOptions.ConnectionString is { } cs)
                {
                    environment["BENCH_POSTGRES"] = cs;
                }

                var result = await PartLauncher.RunAsync(
                    "direct-activation",
                    new Dictionary<string, string>
                    {
                        ["sequential"] = $"{sizes.ActivationSequential}",
                        ["concurrency"] = $"{c}",
                        ["total"] = $"{sizes.ActivationTotal}",
                        ["warmup"] = $"{sizes.ActivationWarmup}",
                        ["tag"] = tag + " direct",
                    },
                    environment,
                    context.WorkDirectory,
                    context.LogDirectory,
                    sizes.WaitTimeout);
                Rows.FromPart(direct1, result.Get("c1"), result.PeakRssBytes, "direct (one process)", 60);
                Rows.FromPart(directN, result.Get($"c{c}"), result.PeakRssBytes, "direct (one process)", 60);
            });
        }
        finally
        {
            if (vhost is not null)
            {
                await vhost.DisposeAsync();
            }

            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }

        foreach (var (measured, baseline) in new[] { (e2e1, direct1), (e2eN, directN) })
        {
            if (measured.Latency is { } e && baseline.Latency is { } d)
            {
                var perStep = (e.P50 - d.P50) / Steps;
                measured.Extra["overhead_per_step_ms_p50"] = Math.Round(perStep, 2);
                measured.Note = $"orchestration overhead per step (p50): {perStep:0.0} ms = (e2e {e.P50:0} − direct {d.P50:0}) / {Steps}"
                    + (measured.Extra.TryGetValue("saga_duration_p50_ms", out var saga) ? $"; saga-recorded duration p50 {saga:0} ms" : string.Empty);
            }
        }

        return [e2e1, e2eN, direct1, directN];
    }

    public const string OperatorKey = "bench-operator-key-0123456789abcdef";

    private sealed record Measurement(int Completed, double ElapsedSeconds, LatencyRecorder Latency, LatencyRecorder SagaDuration);

    private static async Task<Measurement> MeasureAsync(HttpClient http, int count, int concurrency, string tag, Func<int> next, List<string> failures)
    {
        var latency = new LatencyRecorder();
        var sagaDuration = new LatencyRecorder();
        var issued = -1;
        var completed = 0;
        var start = LatencyRecorder.Now();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref issued) < count)
            {
                var n = next();
                var body = ActivationProfiles.Body($"{tag} {n}", $"owner-{n}-{Guid.NewGuid():N}@example.com");
                var began = LatencyRecorder.Now();
                try
                {
                    using var response = await http.PostAsJsonAsync(new Uri("/api/v1/activate", UriKind.Relative), body);
                    var text = await response.Content.ReadAsStringAsync();
                    var elapsed = LatencyRecorder.MillisecondsSince(began);
                    var problem = Problem(response.StatusCode, text, sagaDuration);
                    if (problem is null)
                    {
                        latency.Add(elapsed);
                        Interlocked.Increment(ref completed);
                    }
                    else
                    {
                        lock (failures)
                        {
                            failures.Add(problem);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    lock (failures)
                    {
                        failures.Add($"{ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        }));

        return new Measurement(completed, LatencyRecorder.MillisecondsSince(start) / 1000, latency, sagaDuration);
    }

    /// <summary>Null when the answer is a 201 with a completed activation (all 11 steps done); otherwise what is wrong.</summary>
    private static string? Problem(HttpStatusCode status, string text, LatencyRecorder sagaDuration)
    {
        if (status != HttpStatusCode.Created)
        {
            return $"POST /api/v1/activate answered {(int)status}: {text[..Math.Min(text.Length, 300)]}";
        }

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var state = root.GetProperty("status").GetString();
        var done = root.GetProperty("steps_completed").GetInt32();
        if (state != "completed" || done != Steps || root.GetProperty("steps_total").GetInt32() != Steps)
        {
            return $"activation {root.GetProperty("activation_id")} answered 201 with status {state}, {done} steps completed";
        }

        var submitted = root.GetProperty("submitted_at").GetDateTimeOffset();
        var finished = root.GetProperty("finished_at").GetDateTimeOffset();
        sagaDuration.Add((finished - submitted).TotalMilliseconds);
        return null;
    }

    private static void Fill(ScenarioRow row, Measurement measurement, int expected, List<string> failures)
    {
        row.Count = measurement.Completed;
        row.Throughput = measurement.ElapsedSeconds > 0 ? measurement.Completed / measurement.ElapsedSeconds * 60 : null;
        row.Latency = measurement.Latency.Summary();
        if (measurement.SagaDuration.Summary() is { } saga)
        {
            row.Extra["saga_duration_p50_ms"] = Math.Round(saga.P50, 1);
        }

        row.Checks.Equal("answered 201 completed (11/11 steps)", expected, measurement.Completed);
        lock (failures)
        {
            row.Checks.Zero("failed requests (whole run)", failures.Count);
            foreach (var failure in failures.Take(2))
            {
                row.Checks.Fail(failure);
            }
        }
    }

    private static async Task<(long Tenants, long Sagas)> StoredAsync(Database database, string tag)
    {
        await using var connection = await database.OpenAsync();
        async Task<long> Count(string sql, string? like)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (like is not null)
            {
                var p = command.CreateParameter();
                p.ParameterName = "p";
                p.Value = like;
                command.Parameters.Add(p);
            }

            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        // Only this scenario's activations exist in the database at this point (the direct baseline runs later).
        var tenants = await Count("SELECT count(*) FROM tenants WHERE status = 'active' AND business_name LIKE @p", tag + " %");
        var sagas = await Count("SELECT count(*) FROM saga_instances WHERE saga_type = 'ActivationState' AND current_state = 'Completed'", null);
        return (tenants, sagas);
    }
}

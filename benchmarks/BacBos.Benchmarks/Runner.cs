using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Load;
using BacBos.Benchmarks.Report;
using BacBos.Benchmarks.Scenarios;
using BacBos.Benchmarks.Scenarios.Exports;
using BacBos.Benchmarks.Servers;

namespace BacBos.Benchmarks;

/// <summary>
/// <c>run</c>: every scenario in order, each with its same-run baseline and its own correctness checks; prints the
/// table and writes <c>latest.json</c> + <c>latest.md</c>. Exit code 1 when any row failed its checks.
/// Options: <c>--smoke</c> (tiny counts), <c>--out DIR</c>, <c>--only saga,activation,gateway,webhook,embedded,documents,export</c>,
/// <c>--load-generator auto|wrk|inprocess</c> (also BACBOS_BENCH_LOAD), <c>--no-nginx</c>, <c>--fault skip-one-update</c>.
/// </summary>
public static class Runner
{
    private static readonly (string Key, Func<RunContext, Task<IReadOnlyList<ScenarioRow>>> Run)[] Scenarios =
    [
        ("saga", SagaScenario.RunAsync),
        ("activation", ActivationScenario.RunSplitAsync),
        ("gateway", GatewayScenario.RunAsync),
        ("webhook", WebhookScenario.RunAsync),
        ("embedded", ActivationScenario.RunEmbeddedAsync),
        ("documents", DocumentsScenario.RunAsync),
        ("export", ExportScenario.RunAsync),
    ];

    public static async Task<int> RunAsync(Args args, string commandLine)
    {
        var started = DateTimeOffset.UtcNow;
        var smoke = args.Flag("smoke");
        var root = BenchEnvironment.RepositoryRoot;
        var output = Path.GetFullPath(args.Value("out") ?? Path.Combine(root, smoke ? ".tmp/bench-smoke" : "benchmarks/results"));
        var only = args.Value("only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = only?.Except(Scenarios.Select(s => s.Key)).ToList();
        if (unknown is { Count: > 0 })
        {
            Console.Error.WriteLine($"unknown scenario(s): {string.Join(", ", unknown)}; known: {string.Join(", ", Scenarios.Select(s => s.Key))}");
            return 2;
        }

        var load = ChooseLoadGenerator(args.Value("load-generator") ?? Environment.GetEnvironmentVariable("BACBOS_BENCH_LOAD") ?? "auto");
        var nginx = args.Flag("no-nginx") || Environment.GetEnvironmentVariable("BACBOS_BENCH_NGINX") == "off" ? null : Nginx.Find();
        var runId = $"{started:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..24];
        var context = new RunContext
        {
            Smoke = smoke,
            Sizes = smoke ? Sizes.Smoke : Sizes.Full,
            WorkDirectory = Path.Combine(Path.GetTempPath(), "bacbos-bench", runId),
            LogDirectory = Path.Combine(root, ".tmp", "bench-logs", runId),
            Load = load,
            Nginx = nginx,
            Fault = args.Value("fault"),
        };
        Directory.CreateDirectory(context.WorkDirectory);
        PruneOldLogs(Path.GetDirectoryName(context.LogDirectory)!, keep: 5);
        Log.Info($"{(smoke ? "smoke" : "full")} run; load generator: {load.Name}; nginx: {nginx ?? "not installed"}; logs: {context.LogDirectory}");
        var machine = await Machine.DescribeAsync(
            load is WrkLoadGenerator ? await WrkLoadGenerator.VersionAsync(WrkLoadGenerator.Find()!) : load.Name,
            nginx is null ? "nginx not installed" : await Nginx.VersionAsync(nginx),
            root,
            TimeSpan.FromSeconds(smoke ? 0.5 : 2));
        if (double.TryParse(machine.CpuBusyBeforeStart.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture, out var busy) && busy > 20)
        {
            Log.Info($"WARNING: the CPU was {machine.CpuBusyBeforeStart} busy before the run: something else runs here, and the numbers will show it");
        }

        var rows = new List<ScenarioRow>();
        try
        {
            foreach (var (key, run) in Scenarios.Where(s => only is null || only.Contains(s.Key)))
            {
                Log.Info($"scenario {key}");
                rows.AddRange(await run(context));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(context.WorkDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder.
            }
        }

        RunReport.ComputeRatios(rows);
        var report = new RunReport
        {
            Mode = smoke ? "smoke" : "full",
            Command = commandLine,
            StartedAt = started,
            Machine = machine,
            Rows = rows,
            DurationSeconds = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1),
        };

        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "latest.json"), report.ToJson());
        await File.WriteAllTextAsync(Path.Combine(output, "latest.md"), report.ToMarkdown());

        Console.WriteLine();
        Console.WriteLine(report.Table(markdown: false));
        foreach (var row in rows.Where(r => r.Status == RowStatus.Failed))
        {
            Console.WriteLine($"FAILED {row.Id}: {row.Check}");
        }

        foreach (var row in rows.Where(r => r.Note is not null && r.Status != RowStatus.Failed))
        {
            Console.WriteLine($"note {row.Id}: {row.Note}");
        }

        Console.WriteLine();
        Console.WriteLine($"{rows.Count(r => r.Status == RowStatus.Ok)} rows ok, {rows.Count(r => r.Status == RowStatus.Failed)} failed, {rows.Count(r => r.Status == RowStatus.Skipped)} skipped in {report.DurationSeconds / 60:0.0} min; results in {output}/latest.{{json,md}}");
        return report.Passed ? 0 : 1;
    }

    /// <summary>Process logs are large (the hosts log every step): keep those of the last few runs only.</summary>
    private static void PruneOldLogs(string folder, int keep)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var old in Directory.GetDirectories(folder).Order(StringComparer.Ordinal).SkipLast(keep))
        {
            try
            {
                Directory.Delete(old, recursive: true);
            }
            catch (IOException)
            {
                // Another run may still write there.
            }
        }
    }

    private static ILoadGenerator ChooseLoadGenerator(string choice)
    {
        var wrk = WrkLoadGenerator.Find();
        return choice switch
        {
            "inprocess" => new InProcessLoadGenerator(),
            "wrk" => new WrkLoadGenerator(wrk ?? throw new InvalidOperationException("--load-generator wrk: wrk is not installed (apt-get install wrk)")),
            _ => wrk is null ? new InProcessLoadGenerator() : new WrkLoadGenerator(wrk),
        };
    }
}

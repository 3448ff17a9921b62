using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Report;
using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6: the documents merge engine replaying the automerge-paper editing trace (every transaction merged by
/// <see cref="CollaborativeDocument"/> as one client's operation on the current revision, the way the server applies a
/// typist's batches), against the <c>yjs</c> npm package applying the same patches to a <c>Y.Text</c> in the same run
/// (Node, <c>Scenarios/Documents/yjs-replay.cjs</c>; yjs is installed by <c>scripts/bench.sh</c> into
/// <c>.tmp/bench-node</c>). Both check that the result equals the trace's <c>endContent</c>. Parsing the trace is not
/// timed. Throughput is patches per second of the median run; latency is the time of whole runs.
/// </summary>
public static class DocumentsScenario
{
    public const string Title = "6. Collaborative editing (automerge-paper trace)";

    public static async Task<IReadOnlyList<ScenarioRow>> RunAsync(RunContext context)
    {
        var runs = context.Smoke ? 1 : 5;
        var warmups = context.Smoke ? 0 : 1;
        var tracePath = Path.Combine(BenchEnvironment.RepositoryRoot, "tests", "data", "editing-traces", "automerge-paper.json.gz");
        var engine = new ScenarioRow
        {
            Id = "documents.engine",
            Scenario = Title,
            Variant = $"BacBos OT engine (CollaborativeDocument.Apply per transaction), {runs} run(s) after {warmups} warm-up(s)",
            Unit = "patches/s",
            BaselineIds = ["documents.yjs"],
        };
        var yjs = new ScenarioRow
        {
            Id = "documents.yjs",
            ShortName = "yjs",
            Scenario = Title,
            Variant = $"peer: yjs {YjsVersion() ?? "(not installed)"} Y.Text on Node {NodeVersion()}, same patches, {runs} run(s) after {warmups} warm-up(s)",
            Unit = "patches/s",
            IsBaseline = true,
        };

        await Rows.GuardAsync([engine], () => Task.Run(() => MeasureEngine(engine, tracePath, runs, warmups)));
        await Rows.GuardAsync([yjs], () => MeasureYjsAsync(yjs, tracePath, runs, warmups));
        return [engine, yjs];
    }

    private static void MeasureEngine(ScenarioRow row, string tracePath, int runs, int warmups)
    {
        var (start, end, transactions) = LoadTrace(tracePath);
        var patches = transactions.Sum(t => t.Length);
        for (var warmup = 0; warmup < warmups; warmup++)
        {
            Replay(start, transactions);
        }

        var times = new List<double>();
        var result = string.Empty;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            result = Replay(start, transactions);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Fill(row, patches, times);
        row.Checks.True(result == end, $"final text = endContent ({end.Length} chars)", $"final text differs from endContent ({result.Length} vs {end.Length} chars)");
        Rows.AddProcess(row, "runner (engine in-process)", Process.GetCurrentProcess().PeakWorkingSet64);
    }

    private static string Replay(string start, TextEdit[][] transactions)
    {
        var document = new CollaborativeDocument(start);
        foreach (var transaction in transactions)
        {
            document.Apply("typist", document.Revision, transaction);
        }

        return document.GetContent();
    }

    private static async Task MeasureYjsAsync(ScenarioRow row, string tracePath, int runs, int warmups)
    {
        var module = Path.Combine(BenchEnvironment.RepositoryRoot, ".tmp", "bench-node", "node_modules", "yjs");
        var node = BenchEnvironment.FindExecutable("node");
        if (node is null || !Directory.Exists(module))
        {
            row.SkipReason = "skipped: yjs not installed (scripts/bench.sh installs it with npm into .tmp/bench-node)";
            return;
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Scenarios", "Documents", "yjs-replay.cjs");
        var info = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, tracePath, module, (runs + warmups).ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            row.Fail($"node exited with {process.ExitCode}: {(await errors).Trim()}");
            return;
        }

        using var result = JsonDocument.Parse((await output).Trim().Split('\n')[^1]);
        var root = result.RootElement;
        var times = root.GetProperty("runs_ms").EnumerateArray().Skip(warmups).Select(t => t.GetDouble()).ToList();
        Fill(row, root.GetProperty("patches").GetInt64(), times);
        row.Checks.True(root.GetProperty("ok").GetBoolean(), $"final text = endContent ({root.GetProperty("length").GetInt32()} chars)", "final Y.Text differs from endContent");
        Rows.AddProcess(row, "node (yjs)", root.GetProperty("max_rss_kib").GetInt64() * 1024);
    }

    private static void Fill(ScenarioRow row, long patches, List<double> runMilliseconds)
    {
        var median = runMilliseconds.Order().ElementAt(runMilliseconds.Count / 2);
        row.Count = patches * runMilliseconds.Count;
        row.Throughput = patches / (median / 1000);
        row.Latency = LatencySummary.From(runMilliseconds);
        row.Extra["median_run_ms"] = Math.Round(median, 1);
        row.Extra["patches_per_run"] = patches;
    }

    private static (string Start, string End, TextEdit[][] Transactions) LoadTrace(string path)
    {
        using var file = File.OpenRead(path);
        using var unzipped = new GZipStream(file, CompressionMode.Decompress);
        using var json = JsonDocument.Parse(unzipped);
        var root = json.RootElement;
        var transactions = root.GetProperty("txns").EnumerateArray()
            .Select(t => t.GetProperty("patches").EnumerateArray().Select(p => new TextEdit(p[0].GetInt32(), p[1].GetInt32(), p[2].GetString()!)).ToArray())
            .ToArray();
        return (root.TryGetProperty("startContent", out var s) ? s.GetString()! : string.Empty, root.GetProperty("endContent").GetString()!, transactions);
    }

    private static string? YjsVersion()
    {
        var package = Path.Combine(BenchEnvironment.RepositoryRoot, ".tmp", "bench-node", "node_modules", "yjs", "package.json");
        return File.Exists(package) ? JsonDocument.Parse(File.ReadAllText(package)).RootElement.GetProperty("version").GetString() : null;
    }

    private static string NodeVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
            var version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "(not installed)";
        }
    }
}

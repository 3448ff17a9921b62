using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Load;

/// <summary>
/// wrk (Debian's package) with <c>Load/load.lua</c>: C connections over T threads for a fixed duration; the script
/// builds the requests, counts statuses per thread and prints p50/p95/p99 from wrk's own latency histogram.
/// </summary>
public sealed class WrkLoadGenerator(string wrk) : ILoadGenerator
{
    public string Name => "wrk";

    public bool MayStopWithRequestsInFlight => true;

    public static string? Find() => BenchEnvironment.FindExecutable("wrk");

    public async Task<LoadResult> RunAsync(LoadSpec spec, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var file = "-";
        if (spec.Mode == LoadMode.PostUniqueKey)
        {
            file = Path.Combine(workDirectory, $"{spec.Name}-body.json");
            await File.WriteAllTextAsync(file, spec.Body ?? string.Empty);
        }
        else if (spec.Mode == LoadMode.Webhook)
        {
            file = Path.Combine(workDirectory, $"{spec.Name}-events.tsv");
            await File.WriteAllLinesAsync(file, spec.Events.Select(e => $"{e.Signature}\t{e.Body}"));
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Load", "load.lua");
        var seconds = Math.Max(1, (int)Math.Round(spec.Duration.TotalSeconds));
        var info = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     $"-t{spec.Threads}", $"-c{Math.Max(spec.Connections, spec.Threads)}", $"-d{seconds}s", "--timeout", "10s",
                     "-s", script, spec.Url.ToString(), "--",
                     spec.Mode switch { LoadMode.Get => "get", LoadMode.PostUniqueKey => "post-key", _ => "webhook" },
                     spec.Threads.ToString(CultureInfo.InvariantCulture), file, spec.KeyPrefix,
                 }.Concat(spec.Headers.Select(h => $"{h.Key}: {h.Value}")))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(spec.Duration + TimeSpan.FromSeconds(60)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCHJSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}): {output}{await stderr}");
        using var json = JsonDocument.Parse(line["BENCHJSON ".Length..]);
        var r = json.RootElement;
        long L(string name) => r.GetProperty(name).GetInt64();
        var result = new LoadResult
        {
            Sent = L("sent"),
            Received = L("requests"),
            SocketErrors = L("connect_errors") + L("read_errors") + L("write_errors") + L("timeouts"),
            DurationSeconds = L("duration_us") / 1e6,
            UniqueSent = L("unique"),
            DuplicatesSent = L("duplicates"),
            TamperedSent = L("tampered"),
            Latency = L("requests") == 0 ? null : new LatencySummary(L("p50_us") / 1000.0, L("p95_us") / 1000.0, L("p99_us") / 1000.0, L("requests")),
        };
        foreach (var status in r.GetProperty("statuses").EnumerateObject())
        {
            result.Statuses[int.Parse(status.Name, CultureInfo.InvariantCulture)] = status.Value.GetInt64();
        }

        return result;
    }

    public static async Task<string> VersionAsync(string wrk)
    {
        using var process = Process.Start(new ProcessStartInfo(wrk, "-v") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var first = text.Split('\n')[0];
        var copyright = first.IndexOf(" Copyright", StringComparison.Ordinal);
        return (copyright > 0 ? first[..copyright] : first).Trim();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BacBos.Benchmarks.Report;

/// <summary>One run: machine, mode, every row; written as JSON and Markdown and printed as a table.</summary>
public sealed class RunReport
{
    public required string Mode { get; init; }

    public required string Command { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public double DurationSeconds { get; set; }

    public required Machine Machine { get; init; }

    public required IReadOnlyList<ScenarioRow> Rows { get; init; }

    public bool Passed => Rows.Count > 0 && Rows.All(r => r.Status != RowStatus.Failed);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Ratio = this row's throughput ÷ each baseline's throughput, both from this run.</summary>
    public static void ComputeRatios(IReadOnlyList<ScenarioRow> rows)
    {
        foreach (var row in rows)
        {
            row.Ratios.Clear();
            foreach (var id in row.BaselineIds)
            {
                var baseline = rows.FirstOrDefault(r => r.Id == id);
                if (baseline is { Throughput: > 0 } && row.Throughput is { } t && baseline.Status == RowStatus.Ok)
                {
                    row.Ratios.Add(new Ratio(id, baseline.ShortName ?? id, Math.Round(t / baseline.Throughput.Value, 3)));
                }
            }
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# BacBos benchmark results ({Mode})");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Command}` — started {StartedAt:yyyy-MM-dd HH:mm} UTC, took {DurationSeconds / 60:0.0} min, **{(Passed ? "all checks passed" : "FAILED")}**.");
        sb.AppendLine();
        sb.AppendLine("Machine:");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- CPU: {Machine.Cpu}, {Machine.Cores} cores; RAM {Machine.Memory}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- OS: {Machine.Os}; {Machine.Dotnet}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Servers: {Machine.PostgreSql}; {Machine.RabbitMq} (all on this machine, loopback)");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Load generator: {Machine.LoadGenerator}; proxy baseline: {Machine.Nginx}; commit {Machine.Commit}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- CPU busy just before the run: {Machine.CpuBusyBeforeStart} (servers, hosts and load generator all share these cores)");
        sb.AppendLine();
        sb.Append(Table(markdown: true));
        sb.AppendLine();
        sb.AppendLine("Ratio = the row's throughput ÷ its baseline's throughput, measured in the same run. Latency in milliseconds; peak RSS = VmHWM of each process in MiB.");
        sb.AppendLine();
        sb.AppendLine("## Checks and notes");
        sb.AppendLine();
        foreach (var row in Rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- `{row.Id}` — {row.Check}{(row.Note is null ? string.Empty : $" — *{row.Note}*")}");
        }

        return sb.ToString();
    }

    /// <summary>The result table (Markdown pipes; padded for the console).</summary>
    public string Table(bool markdown)
    {
        string[] header = ["scenario", "variant", "throughput", "p50 ms", "p95 ms", "p99 ms", "peak RSS (MiB)", "vs baseline", "check"];
        var lines = Rows.Select(r => new[]
        {
            r.Scenario,
            r.Variant,
            r.Throughput is { } t ? $"{Number(t)} {r.Unit}" : "—",
            r.Latency is { } l ? Number(l.P50) : "—",
            r.Latency is { } l2 ? Number(l2.P95) : "—",
            r.Latency is { } l3 ? Number(l3.P99) : "—",
            r.Processes.Count == 0 ? "—" : string.Join(", ", r.Processes.Select(p => $"{p.Name} {p.PeakRssMiB:0}")),
            r.IsBaseline && r.Ratios.Count == 0 ? "baseline" : r.Ratios.Count == 0 ? "—" : string.Join(", ", r.Ratios.Select(x => $"{x.Value:0.00}× {x.Label}")),
            r.Status switch { RowStatus.Ok => "ok", RowStatus.Skipped => r.SkipReason!, _ => "FAILED" },
        }).ToList();

        var widths = header.Select((h, i) => markdown ? 0 : Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            sb.AppendLine("| " + string.Join(" | ", cells.Select((c, i) => (markdown ? c.Replace("|", "\\|", StringComparison.Ordinal) : c).PadRight(widths[i]))) + " |");
        Line(header);
        Line(header.Select((_, i) => new string('-', Math.Max(3, widths[i]))).ToArray());
        foreach (var line in lines)
        {
            Line(line);
        }

        return sb.ToString();
    }

    private static string Number(double value) => value switch
    {
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}

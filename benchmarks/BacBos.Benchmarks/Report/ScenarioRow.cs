using System.Text.Json.Serialization;
using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Report;

[JsonConverter(typeof(JsonStringEnumConverter<RowStatus>))]
public enum RowStatus
{
    Ok,
    Failed,
    Skipped,
}

/// <summary>Peak resident set size of one process that took part in a measurement.</summary>
public sealed record ProcessPeak(string Name, double PeakRssMiB)
{
    public static ProcessPeak? Of(string name, long? bytes) => bytes is { } b ? new ProcessPeak(name, Math.Round(b / 1048576.0, 1)) : null;
}

/// <summary>Throughput of a measured row divided by the throughput of one of its baselines (same run).</summary>
public sealed record Ratio(string BaselineId, string Label, double Value);

/// <summary>One line of the result table: a measurement or a baseline, with its own correctness check.</summary>
public sealed class ScenarioRow
{
    /// <summary>Stable key, e.g. <c>saga.transitions</c>; baselines are referred to by it.</summary>
    public required string Id { get; init; }

    /// <summary>The scenario, e.g. <c>1. Saga throughput</c>.</summary>
    public required string Scenario { get; init; }

    public required string Variant { get; init; }

    public bool IsBaseline { get; init; }

    /// <summary>Short name shown next to ratios against this row (e.g. <c>nginx</c>).</summary>
    public string? ShortName { get; init; }

    /// <summary>Rows this one is compared with (ratio = this throughput ÷ baseline throughput).</summary>
    public IReadOnlyList<string> BaselineIds { get; init; } = [];

    public double? Throughput { get; set; }

    public required string Unit { get; init; }

    /// <summary>Operations measured (transitions, round trips, requests, activations).</summary>
    public long Count { get; set; }

    public LatencySummary? Latency { get; set; }

    public List<ProcessPeak> Processes { get; init; } = [];

    public List<Ratio> Ratios { get; init; } = [];

    /// <summary>Skipped when set (e.g. nginx not installed); otherwise ok or failed by <see cref="Checks"/>.</summary>
    public string? SkipReason { get; set; }

    public RowStatus Status => SkipReason is not null ? RowStatus.Skipped : Checks.Ok && Checks.Passed.Count > 0 ? RowStatus.Ok : RowStatus.Failed;

    /// <summary>What was checked and found (or, when failed, what was wrong).</summary>
    public string Check => SkipReason ?? (Checks.Passed.Count == 0 && Checks.Ok ? "FAILED: nothing was checked" : Checks.Describe());

    public string? Note { get; set; }

    public Dictionary<string, double> Extra { get; init; } = [];

    [JsonIgnore]
    public Checks Checks { get; } = new();

    public void Fail(string reason) => Checks.Fail(reason);
}

/// <summary>The correctness checks of one measurement: a fast but broken run must fail.</summary>
public sealed class Checks
{
    private readonly List<string> _passed = [];
    private readonly List<string> _failed = [];

    public bool Ok => _failed.Count == 0;

    public IReadOnlyList<string> Failures => _failed;

    public void Equal(string what, long expected, long actual)
    {
        if (expected == actual)
        {
            _passed.Add($"{what} {actual}/{expected}");
        }
        else
        {
            _failed.Add($"{what}: expected {expected}, got {actual}");
        }
    }

    public void Zero(string what, long actual)
    {
        if (actual == 0)
        {
            _passed.Add($"0 {what}");
        }
        else
        {
            _failed.Add($"{actual} {what} (expected 0)");
        }
    }

    public void Between(string what, long actual, long min, long max)
    {
        if (actual >= min && actual <= max)
        {
            _passed.Add(min == max ? $"{what} {actual}" : $"{what} {actual} (in [{min}, {max}])");
        }
        else
        {
            _failed.Add($"{what}: {actual} not in [{min}, {max}]");
        }
    }

    public void True(bool condition, string passed, string failed)
    {
        if (condition)
        {
            _passed.Add(passed);
        }
        else
        {
            _failed.Add(failed);
        }
    }

    public void Fail(string failure) => _failed.Add(failure);

    public void AddAll(IEnumerable<string> passed, IEnumerable<string> failed)
    {
        _passed.AddRange(passed);
        _failed.AddRange(failed);
    }

    public IReadOnlyList<string> Passed => _passed;

    public string Describe() => Ok
        ? "ok: " + string.Join("; ", _passed)
        : "FAILED: " + string.Join("; ", _failed) + (_passed.Count > 0 ? " | passed: " + string.Join("; ", _passed) : string.Empty);
}

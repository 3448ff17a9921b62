using System.Text.Json;
using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Parts;

/// <summary>One measurement a part made (a part may make several, e.g. 1 and 20 concurrent activations).</summary>
public sealed class PartMeasurement
{
    public required string Name { get; init; }

    /// <summary>Operations completed inside the measured window.</summary>
    public long Count { get; set; }

    public double ElapsedSeconds { get; set; }

    public LatencySummary? Latency { get; set; }

    public List<string> Passed { get; init; } = [];

    public List<string> Failed { get; init; } = [];

    public Dictionary<string, double> Extra { get; init; } = [];

    public void Apply(Report.Checks checks)
    {
        Passed.AddRange(checks.Passed);
        Failed.AddRange(checks.Failures);
    }
}

/// <summary>What a part (a measurement run in a child process of its own) hands back to the runner as JSON.</summary>
public sealed class PartResult
{
    public List<PartMeasurement> Measurements { get; init; } = [];

    /// <summary>Peak RSS of the part's process at the end of its measurements.</summary>
    public long PeakRssBytes { get; set; }

    public PartMeasurement Get(string name) =>
        Measurements.FirstOrDefault(m => m.Name == name) ?? throw new InvalidOperationException($"The part did not report a measurement '{name}'.");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

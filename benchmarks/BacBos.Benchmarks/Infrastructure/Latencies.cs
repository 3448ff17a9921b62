using System.Diagnostics;

namespace BacBos.Benchmarks.Infrastructure;

/// <summary>p50/p95/p99 in milliseconds (nearest rank).</summary>
public sealed record LatencySummary(double P50, double P95, double P99, long Samples)
{
    public static LatencySummary? From(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return null;
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted.Length);
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Thread-safe collection of latencies measured with <see cref="Stopwatch"/> timestamps.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];
    private readonly Lock _gate = new();

    public static long Now() => Stopwatch.GetTimestamp();

    public static double MillisecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _samples.Add(milliseconds);
        }
    }

    public void AddSince(long start) => Add(MillisecondsSince(start));

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    public LatencySummary? Summary()
    {
        lock (_gate)
        {
            return LatencySummary.From(_samples);
        }
    }
}

using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Load;
using BacBos.Benchmarks.Parts;
using BacBos.Benchmarks.Report;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>Filling result rows from parts and load runs; running a measurement so that a crash fails only its rows.</summary>
public static class Rows
{
    /// <summary>Runs <paramref name="measure"/>; an exception fails every row given (with the message) instead of the run.</summary>
    public static async Task GuardAsync(IEnumerable<ScenarioRow> rows, Func<Task> measure)
    {
        try
        {
            await measure();
        }
        catch (Exception ex)
        {
            Log.Info($"FAILED {string.Join(", ", rows.Select(r => r.Id))}: {ex}");
            var firstLine = ex.Message.Split('\n')[0].Trim();
            foreach (var row in rows.Where(r => r.SkipReason is null))
            {
                row.Fail($"{ex.GetType().Name}: {firstLine}");
            }
        }
    }

    public static void FromPart(ScenarioRow row, PartMeasurement measurement, long peakRssBytes, string processName, double perSecondFactor = 1)
    {
        row.Count = measurement.Count;
        row.Throughput = measurement.ElapsedSeconds > 0 ? measurement.Count / measurement.ElapsedSeconds * perSecondFactor : null;
        row.Latency = measurement.Latency;
        if (ProcessPeak.Of(processName, peakRssBytes) is { } peak)
        {
            row.Processes.Add(peak);
        }

        foreach (var (key, value) in measurement.Extra)
        {
            row.Extra[key] = value;
        }

        row.Checks.AddAll(measurement.Passed, measurement.Failed);
    }

    public static void FromLoad(ScenarioRow row, LoadResult measured)
    {
        row.Count = measured.Received;
        row.Throughput = measured.RequestsPerSecond;
        row.Latency = measured.Latency;
    }

    public static void AddProcess(ScenarioRow row, string name, long? peakRssBytes)
    {
        if (ProcessPeak.Of(name, peakRssBytes) is { } peak)
        {
            row.Processes.Add(peak);
        }
    }

    /// <summary>
    /// The checks every HTTP load shares: only the expected statuses, no socket errors, and (for a generator that
    /// finishes its requests) every request answered. wrk stops mid-request, so with wrk the server-side checks
    /// accept anything between "answered" and "sent".
    /// </summary>
    public static void CheckHttp(Checks checks, LoadResult total, ILoadGenerator generator, params int[] expected)
    {
        checks.True(total.Received > 0, $"{total.Received} responses", "no response at all");
        checks.Zero($"responses other than {string.Join('/', expected)}", total.StatusesOtherThan(expected));
        checks.Zero("socket errors/timeouts", total.SocketErrors);
        if (!generator.MayStopWithRequestsInFlight)
        {
            checks.Equal("responses = requests", total.Sent, total.Received);
        }
    }
}

using BacBos.Benchmarks.Load;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>How much each scenario does: the full run, or the smoke run (seconds each) the test suite uses.</summary>
public sealed record Sizes
{
    public required int SagaInstances { get; init; }

    public required int SagaWarmup { get; init; }

    /// <summary>Publishes in flight (saga starts, raw publishes) and concurrent raw updates' partner: prefetch is 32.</summary>
    public int Inflight { get; init; } = 64;

    public required int ActivationWarmup { get; init; }

    public required int ActivationSequential { get; init; }

    public required int ActivationConcurrency { get; init; }

    public required int ActivationTotal { get; init; }

    public required TimeSpan HttpDuration { get; init; }

    /// <summary>Warm-up load before each measured HTTP run (zero: none).</summary>
    public required TimeSpan HttpWarmup { get; init; }

    public required int HttpConnections { get; init; }

    /// <summary>Signed events prepared per load run (more than the run can send, so nearly all are first deliveries).</summary>
    public required int WebhookEvents { get; init; }

    public required TimeSpan WaitTimeout { get; init; }

    /// <summary>Documents each exporter converts in scenario 6.</summary>
    public int ExportIterations { get; init; } = 20;

    public static Sizes Full { get; } = new()
    {
        SagaInstances = 3000,
        SagaWarmup = 300,
        ActivationWarmup = 3,
        ActivationSequential = 20,
        ActivationConcurrency = 20,
        ActivationTotal = 120,
        HttpDuration = TimeSpan.FromSeconds(15),
        HttpWarmup = TimeSpan.FromSeconds(3),
        HttpConnections = 32,
        WebhookEvents = 60_000,
        WaitTimeout = TimeSpan.FromMinutes(4),
    };

    public static Sizes Smoke { get; } = new()
    {
        SagaInstances = 40,
        SagaWarmup = 10,
        ActivationWarmup = 1,
        ActivationSequential = 2,
        ActivationConcurrency = 3,
        ActivationTotal = 3,
        HttpDuration = TimeSpan.FromSeconds(1),
        HttpWarmup = TimeSpan.Zero,
        HttpConnections = 8,
        WebhookEvents = 6_000,
        WaitTimeout = TimeSpan.FromMinutes(2),
        ExportIterations = 2,
    };
}

/// <summary>Everything a scenario needs from the runner.</summary>
public sealed class RunContext
{
    public required bool Smoke { get; init; }

    public required Sizes Sizes { get; init; }

    /// <summary>Temp folder of this run (data directories, GitOps trees, nginx config, request files).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Where the processes' logs go (kept after the run).</summary>
    public required string LogDirectory { get; init; }

    public required ILoadGenerator Load { get; init; }

    /// <summary>nginx executable, or null (then the nginx row is skipped with <see cref="NginxMissingNote"/>).</summary>
    public string? Nginx { get; init; }

    /// <summary>Deliberate fault for the harness's own test (<c>skip-one-update</c>): the run must fail.</summary>
    public string? Fault { get; init; }

    public const string NginxMissingNote = "skipped: nginx not installed";

    public string Folder(string name)
    {
        var path = Path.Combine(WorkDirectory, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}

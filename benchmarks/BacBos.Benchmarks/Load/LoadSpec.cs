using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Load;

public enum LoadMode
{
    /// <summary>GET the URL.</summary>
    Get,

    /// <summary>POST a fixed body with a unique <c>Idempotency-Key</c> per request.</summary>
    PostUniqueKey,

    /// <summary>POST pre-signed Stripe events: first deliveries, every 10th a duplicate, every 100th a bad signature.</summary>
    Webhook,
}

/// <summary>One closed-loop HTTP load: <see cref="Connections"/> connections, each sending its next request when the previous one answered.</summary>
public sealed record LoadSpec
{
    public required string Name { get; init; }

    public required Uri Url { get; init; }

    public required LoadMode Mode { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary><see cref="LoadMode.PostUniqueKey"/>: the body.</summary>
    public string? Body { get; init; }

    /// <summary><see cref="LoadMode.PostUniqueKey"/>: prefix of the generated idempotency keys (unique per run).</summary>
    public string KeyPrefix { get; init; } = "k";

    /// <summary><see cref="LoadMode.Webhook"/>: the signed events.</summary>
    public IReadOnlyList<SignedEvent> Events { get; init; } = [];

    public int Connections { get; init; } = 32;

    public int Threads { get; init; } = 2;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A webhook delivery prepared before the load: its <c>Stripe-Signature</c> header and raw body.</summary>
public sealed record SignedEvent(string Signature, string Body);

/// <summary>What a load run saw.</summary>
public sealed class LoadResult
{
    /// <summary>Requests written (with wrk, up to one per connection may still be in flight when the run stops).</summary>
    public long Sent { get; set; }

    /// <summary>Responses received.</summary>
    public long Received { get; set; }

    public Dictionary<int, long> Statuses { get; init; } = [];

    /// <summary>Connect, read and write errors and timeouts.</summary>
    public long SocketErrors { get; set; }

    public double DurationSeconds { get; set; }

    public LatencySummary? Latency { get; set; }

    /// <summary><see cref="LoadMode.Webhook"/>: first deliveries, duplicate deliveries and tampered signatures sent.</summary>
    public long UniqueSent { get; set; }

    public long DuplicatesSent { get; set; }

    public long TamperedSent { get; set; }

    /// <summary>Requests possibly unanswered when the run stopped (sent − received).</summary>
    public long InFlightAtStop => Sent - Received;

    public double RequestsPerSecond => DurationSeconds > 0 ? Received / DurationSeconds : 0;

    public long Status(int code) => Statuses.TryGetValue(code, out var n) ? n : 0;

    public long StatusesOtherThan(params int[] codes) => Statuses.Where(s => !codes.Contains(s.Key)).Sum(s => s.Value);

    public string DescribeStatuses() => string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));

    /// <summary>Sums a warm-up and a measured run for the correctness checks (rates come from the measured run).</summary>
    public static LoadResult Sum(LoadResult a, LoadResult b)
    {
        var sum = new LoadResult
        {
            Sent = a.Sent + b.Sent,
            Received = a.Received + b.Received,
            SocketErrors = a.SocketErrors + b.SocketErrors,
            DurationSeconds = a.DurationSeconds + b.DurationSeconds,
            UniqueSent = a.UniqueSent + b.UniqueSent,
            DuplicatesSent = a.DuplicatesSent + b.DuplicatesSent,
            TamperedSent = a.TamperedSent + b.TamperedSent,
        };
        foreach (var (code, count) in a.Statuses.Concat(b.Statuses))
        {
            sum.Statuses[code] = sum.Statuses.GetValueOrDefault(code) + count;
        }

        return sum;
    }
}

/// <summary>Drives an HTTP load: wrk when installed, otherwise an in-process HttpClient generator.</summary>
public interface ILoadGenerator
{
    string Name { get; }

    /// <summary>True when the generator may leave requests in flight at the end (wrk stops mid-request).</summary>
    bool MayStopWithRequestsInFlight { get; }

    Task<LoadResult> RunAsync(LoadSpec spec, string workDirectory);
}

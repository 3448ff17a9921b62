using System.Text;
using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Load;

/// <summary>
/// The fallback when wrk is not installed: C closed-loop workers on one HttpClient (one connection each), the same
/// request patterns as <c>load.lua</c>. At the deadline no new request starts and the ones in flight finish, so
/// sent = received exactly. It runs inside the runner process and takes CPU from the server under test.
/// </summary>
public sealed class InProcessLoadGenerator : ILoadGenerator
{
    public string Name => "in-process HttpClient";

    public bool MayStopWithRequestsInFlight => false;

    public async Task<LoadResult> RunAsync(LoadSpec spec, string workDirectory)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = spec.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var latency = new LatencyRecorder();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        long sent = 0, received = 0, errors = 0, unique = 0, duplicates = 0, tampered = 0;
        var eventIndex = -1;
        var deadline = LatencyRecorder.Now() + (long)(spec.Duration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        var start = LatencyRecorder.Now();

        async Task Worker(int worker)
        {
            var n = 0;
            SignedEvent? previous = null;
            while (LatencyRecorder.Now() < deadline)
            {
                n++;
                using var request = new HttpRequestMessage(spec.Mode == LoadMode.Get ? HttpMethod.Get : HttpMethod.Post, spec.Url);
                foreach (var (name, value) in spec.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                switch (spec.Mode)
                {
                    case LoadMode.PostUniqueKey:
                        request.Headers.TryAddWithoutValidation("Idempotency-Key", $"{spec.KeyPrefix}-{worker}-{n}");
                        request.Content = new StringContent(spec.Body ?? string.Empty, Encoding.UTF8, "application/json");
                        break;
                    case LoadMode.Webhook:
                        SignedEvent entry;
                        var signature = string.Empty;
                        if (n % 10 == 0 && previous is not null)
                        {
                            entry = previous;
                            Interlocked.Increment(ref duplicates);
                        }
                        else if (n % 100 == 55)
                        {
                            entry = spec.Events[(Volatile.Read(ref eventIndex) + 1) % spec.Events.Count];
                            signature = entry.Signature[..^1] + (entry.Signature[^1] == '0' ? "1" : "0");
                            Interlocked.Increment(ref tampered);
                        }
                        else
                        {
                            var i = Interlocked.Increment(ref eventIndex);
                            entry = spec.Events[i % spec.Events.Count];
                            previous = entry;
                            Interlocked.Increment(ref i < spec.Events.Count ? ref unique : ref duplicates);
                        }

                        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature.Length > 0 ? signature : entry.Signature);
                        request.Content = new StringContent(entry.Body, Encoding.UTF8, "application/json");
                        break;
                }

                Interlocked.Increment(ref sent);
                var began = LatencyRecorder.Now();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    await response.Content.LoadIntoBufferAsync();
                    latency.AddSince(began);
                    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                    Interlocked.Increment(ref received);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(1, spec.Connections).Select(Worker));
        var result = new LoadResult
        {
            Sent = sent,
            Received = received,
            SocketErrors = errors,
            DurationSeconds = LatencyRecorder.MillisecondsSince(start) / 1000,
            Latency = latency.Summary(),
            UniqueSent = unique,
            DuplicatesSent = duplicates,
            TamperedSent = tampered,
        };
        foreach (var (code, count) in statuses)
        {
            result.Statuses[code] = count;
        }

        return result;
    }
}

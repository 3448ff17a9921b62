using System.Text;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Load;
using BacBos.Benchmarks.Report;
using BacBos.Benchmarks.Servers.Webhooks;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: signed Stripe-style webhooks verified, deduplicated and enqueued per second, against bare Kestrel
/// reading the body. The endpoint is a STAND-IN (<see cref="WebhookServer"/>) until the payments issue adds the real
/// one; then this scenario should target the gateway's route. The load mixes first deliveries, duplicates (every 10th)
/// and tampered signatures (every 100th), and the checks reconcile statuses, dedupe rows and queued messages.
/// </summary>
public static class WebhookScenario
{
    public const string Title = "4. Webhook ingestion";
    private const string Queue = "bench-stripe-events";

    public static async Task<IReadOnlyList<ScenarioRow>> RunAsync(RunContext context)
    {
        var sizes = context.Sizes;
        var ingest = new ScenarioRow
        {
            Id = "webhook.ingest",
            Scenario = Title,
            Variant = $"Stripe-Signature verified, deduped in PostgreSQL, published to RabbitMQ (STAND-IN endpoint), {sizes.HttpConnections} connections",
            Unit = "requests/s",
            BaselineIds = ["webhook.bare"],
            Note = "stand-in endpoint in benchmarks/ until the payments issue adds the real route; mix: 1 in 10 duplicate, 1 in 100 bad signature",
        };
        var bare = new ScenarioRow
        {
            Id = "webhook.bare",
            ShortName = "bare Kestrel",
            Scenario = Title,
            Variant = "baseline: bare Kestrel reading the body, 200",
            Unit = "requests/s",
            IsBaseline = true,
        };

        var secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await Rows.GuardAsync([ingest], async () =>
        {
            await using var database = await BenchDatabase.CreateAsync();
            await using var vhost = await BenchVhost.CreateAsync();
            await vhost.BindQueueAsync(typeof(StripeWebhookReceived), Queue);
            var (server, port) = await Hosts.StartHelperAsync(
                "webhook",
                new Dictionary<string, string>
                {
                    ["BENCH_POSTGRES"] = database.ConnectionString,
                    ["BENCH_RABBITMQ"] = vhost.AmqpUri.ToString(),
                    ["BENCH_WEBHOOK_SECRET"] = secret,
                },
                context.LogDirectory);
            using (server)
            {
                var total = await LoadAsync(context, ingest, new Uri($"http://127.0.0.1:{port}{WebhookServer.Route}"), secret);
                Rows.AddProcess(ingest, "webhook endpoint", server.PeakRssBytes());

                var checks = ingest.Checks;
                Rows.CheckHttp(checks, total, context.Load, 200, 202, 400);
                // Every first delivery is answered 202, every duplicate 200, every bad signature 400 (exactly, when the
                // generator finishes its requests; wrk may leave up to one request per connection unanswered).
                var inFlight = Math.Max(0, total.InFlightAtStop);
                checks.Between("202 (first deliveries)", total.Status(202), total.UniqueSent - inFlight, total.UniqueSent);
                checks.Between("200 (duplicates recognised)", total.Status(200), total.DuplicatesSent - inFlight, total.DuplicatesSent);
                checks.Between("400 (bad signatures rejected)", total.Status(400), total.TamperedSent - inFlight, total.TamperedSent);
                var (rows, queued, drain) = await Wait.DrainAsync(
                    async () => (await database.CountAsync("SELECT count(*) FROM stripe_webhook_events"), (long)(await vhost.ReadyMessagesAsync(Queue) ?? 0)),
                    TimeSpan.FromSeconds(20),
                    sizes.WaitTimeout,
                    "events enqueued of events stored");
                GatewayScenario.NoteDrain(ingest, rows, drain, total);
                checks.Between("events stored once (202s … 202s + in flight)", rows, total.Status(202), total.Status(202) + inFlight);
                checks.Between("events stored ≤ distinct events sent", rows, total.UniqueSent - inFlight, total.UniqueSent);
                checks.Equal("events enqueued = events stored", rows, queued);
            }
        });

        await Rows.GuardAsync([bare], async () =>
        {
            var (server, port) = await Hosts.StartHelperAsync("bare", new Dictionary<string, string>(), context.LogDirectory);
            using (server)
            {
                var total = await LoadAsync(context, bare, new Uri($"http://127.0.0.1:{port}{WebhookServer.Route}"), secret);
                Rows.AddProcess(bare, "bare Kestrel", server.PeakRssBytes());

                // The bare endpoint does not verify: tampered deliveries are answered 200 like the rest.
                Rows.CheckHttp(bare.Checks, total, context.Load, 200);
            }
        });

        return [ingest, bare];
    }

    private static async Task<LoadResult> LoadAsync(RunContext context, ScenarioRow row, Uri url, string secret)
    {
        var sizes = context.Sizes;
        var spec = new LoadSpec
        {
            Name = row.Id,
            Url = url,
            Mode = LoadMode.Webhook,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Connections = sizes.HttpConnections,
        };

        // Separate event pools: the measured run must not re-send the warm-up's events.
        var directory = context.Folder("load");
        Log.Info($"{row.Id}: {context.Load.Name}, {spec.Connections} connections, {sizes.HttpWarmup.TotalSeconds:0.#} s warm-up + {sizes.HttpDuration.TotalSeconds:0.#} s");
        var warm = sizes.HttpWarmup > TimeSpan.Zero
            ? await context.Load.RunAsync(spec with { Name = row.Id + "-warmup", Duration = sizes.HttpWarmup, Events = SignedEvents(secret, sizes.WebhookEvents / 4) }, directory)
            : new LoadResult();
        var measured = await context.Load.RunAsync(spec with { Duration = sizes.HttpDuration, Events = SignedEvents(secret, sizes.WebhookEvents) }, directory);
        Rows.FromLoad(row, measured);
        row.Extra["connections"] = spec.Connections;
        row.Extra["unanswered_at_stop"] = warm.InFlightAtStop + measured.InFlightAtStop;
        if (measured.Status(202) > 0)
        {
            row.Extra["enqueued_per_s"] = Math.Round(measured.Status(202) / measured.DurationSeconds, 1);
        }

        return LoadResult.Sum(warm, measured);
    }

    /// <summary>Stripe-shaped <c>payment_intent.succeeded</c> events, each signed now (within the 300 s tolerance).</summary>
    public static IReadOnlyList<SignedEvent> SignedEvents(string secret, int count)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = new SignedEvent[count];
        for (var i = 0; i < count; i++)
        {
            var body =
                $"{{\"id\":\"evt_{Guid.NewGuid():N}\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":{now}," +
                "\"type\":\"payment_intent.succeeded\",\"livemode\":false,\"pending_webhooks\":1," +
                "\"request\":{\"id\":null,\"idempotency_key\":null}," +
                $"\"data\":{{\"object\":{{\"id\":\"pi_{Guid.NewGuid():N}\",\"object\":\"payment_intent\",\"amount\":12500,\"currency\":\"ngn\"," +
                $"\"status\":\"succeeded\",\"metadata\":{{\"tenant_id\":\"{Guid.NewGuid():D}\",\"order\":\"{i}\"}}}}}}}}";
            events[i] = new SignedEvent(StripeSignature.Header(secret, now, Encoding.UTF8.GetBytes(body)), body);
        }

        return events;
    }
}

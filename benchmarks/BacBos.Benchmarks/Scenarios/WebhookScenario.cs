using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Load;
using BacBos.Benchmarks.Parts;
using BacBos.Benchmarks.Report;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Contracts.Payments;
using BacBos.Platform.Data;
using BacBos.Platform.Security;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: the gateway's Stripe webhook route, <c>POST /api/v1/webhooks/stripe/{tenant}</c> — signature verified
/// with the tenant's sealed secret, the event id recorded in <c>payment_webhook_events</c> and
/// <see cref="PaymentGatewayOutcome"/> put on the bus outbox in one transaction, 200 — against bare Kestrel reading the
/// body. Set-up through the platform: gateway + worker processes, one tenant activated by <c>POST /api/v1/activate</c>,
/// its Stripe webhook secret sealed with <see cref="TenantSecrets"/> as activation step 7 (and the HTTP tests) do, a
/// few payments created by <c>POST /api/v1/payments</c>; then the worker stops and the gateway alone takes the load
/// (as in scenario 3): signed <c>payment_intent.succeeded</c> / <c>payment_intent.payment_failed</c> events for those
/// payments, every 10th delivery a duplicate and every 100th a tampered signature.
/// </summary>
public static class WebhookScenario
{
    public const string Title = "4. Webhook ingestion";
    private const string Queue = "bench-payment-outcomes";
    private const int Payments = 4;

    public static async Task<IReadOnlyList<ScenarioRow>> RunAsync(RunContext context)
    {
        var sizes = context.Sizes;
        var ingest = new ScenarioRow
        {
            Id = "webhook.ingest",
            Scenario = Title,
            Variant = $"POST /api/v1/webhooks/stripe/{{tenant}} (Stripe-Signature verified, event id recorded + PaymentGatewayOutcome on the outbox), {sizes.HttpConnections} connections",
            Unit = "requests/s",
            BaselineIds = ["webhook.bare"],
            Note = $"the gateway's route; one activated tenant, {Payments} payments created through the API; mix: 1 in 10 duplicate, 1 in 100 bad signature",
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

        var tenantId = Guid.Empty;
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        IReadOnlyList<Guid> paymentIds = [];
        await Rows.GuardAsync([ingest], async () =>
        {
            await using var database = await BenchDatabase.CreateAsync();
            await using var vhost = await BenchVhost.CreateAsync();
            await vhost.BindQueueAsync(typeof(PaymentGatewayOutcome), Queue);
            var dataKey = RandomNumberGenerator.GetBytes(32);
            var root = context.Folder("webhook");
            var common = new Dictionary<string, string>
            {
                ["Bus__Transport"] = "RabbitMq",
                ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Postgres"] = database.ConnectionString,
                ["Security__DataKey"] = Convert.ToBase64String(dataKey),
                ["Security__OperatorKeys__0"] = ActivationScenario.OperatorKey,
                ["Drivers__GitOps__Directory"] = Path.Combine(root, "gitops"),
                ["Gateway__ActivationWait"] = "00:05:00",
            };
            var (gateway, address, worker) = await Hosts.StartSplitAsync(
                new Dictionary<string, string>(common) { ["Gateway__HostWorker"] = "false", ["Database__DataDirectory"] = Path.Combine(root, "data-gateway") },
                new Dictionary<string, string>(common) { ["Database__DataDirectory"] = Path.Combine(root, "data-worker") },
                context.LogDirectory);
            using (gateway)
            {
                using (worker)
                {
                    (tenantId, paymentIds) = await SetUpTenantAsync(address, database.ConnectionString, dataKey, secret);
                }

                // The worker is stopped: the load measures the gateway's ingestion alone, its messages wait in the queues.
                var url = new Uri(address, $"/api/v1/webhooks/stripe/{tenantId:D}");
                await ProbeAsync(ingest.Checks, url, tenantId, paymentIds[0], secret);
                var total = await LoadAsync(context, ingest, url, tenantId, paymentIds, secret);
                Rows.AddProcess(ingest, "gateway", gateway.PeakRssBytes());

                var checks = ingest.Checks;
                Rows.CheckHttp(checks, total, context.Load, 200, 400);
                // First deliveries and duplicates are answered 200 (accepted / duplicate), bad signatures 400 — exactly,
                // when the generator finishes its requests; wrk may leave up to one request per connection unanswered.
                var inFlight = Math.Max(0, total.InFlightAtStop);
                var signed = total.UniqueSent + total.DuplicatesSent;
                checks.Between("200 (first deliveries and duplicates)", total.Status(200), signed - inFlight, signed);
                checks.Between("400 (bad signatures rejected)", total.Status(400), total.TamperedSent - inFlight, total.TamperedSent);

                // The probe recorded one event before the load; the outbox may trail the answers: wait while it drains.
                var tenantParameter = ("t", (object)tenantId);
                var (stored, queued, drain) = await Wait.DrainAsync(
                    async () => (await database.CountAsync("SELECT count(*) FROM payment_webhook_events WHERE provider = 'stripe' AND tenant_id = @t", tenantParameter), (long)(await vhost.ReadyMessagesAsync(Queue) ?? 0)),
                    TimeSpan.FromSeconds(20),
                    sizes.WaitTimeout,
                    "PaymentGatewayOutcome messages enqueued of webhook events recorded");
                GatewayScenario.NoteDrain(ingest, stored, drain, total);
                var recorded = stored - 1;
                checks.Between("events recorded once (distinct first deliveries answered … sent)", recorded, total.UniqueSent - inFlight, total.UniqueSent);
                checks.Equal("events recorded for all of this tenant's payments", Payments, await database.CountAsync(
                    "SELECT count(DISTINCT payment_id) FROM payment_webhook_events WHERE provider = 'stripe' AND tenant_id = @t", tenantParameter));
                checks.Equal("PaymentGatewayOutcome enqueued = events recorded", stored, queued);
                checks.Zero("events recorded for another tenant", await database.CountAsync("SELECT count(*) FROM payment_webhook_events WHERE tenant_id <> @t", tenantParameter));
            }
        });

        await Rows.GuardAsync([bare], async () =>
        {
            var (server, port) = await Hosts.StartHelperAsync("bare", new Dictionary<string, string>(), context.LogDirectory);
            using (server)
            {
                var tenant = tenantId == Guid.Empty ? Guid.NewGuid() : tenantId;
                var payments = paymentIds.Count > 0 ? paymentIds : [Guid.NewGuid()];
                var total = await LoadAsync(context, bare, new Uri($"http://127.0.0.1:{port}/api/v1/webhooks/stripe/{tenant:D}"), tenant, payments, secret);
                Rows.AddProcess(bare, "bare Kestrel", server.PeakRssBytes());

                // The bare endpoint does not verify: tampered deliveries are answered 200 like the rest.
                Rows.CheckHttp(bare.Checks, total, context.Load, 200);
            }
        });

        return [ingest, bare];
    }

    /// <summary>
    /// One tenant through the platform: activated (201 completed), its Stripe webhook secret sealed as step 7 seals the
    /// one Stripe returns (no Stripe double here, so step 7 skips Stripe), and <see cref="Payments"/> payments created
    /// through the API (Stripe has no key here, so they end <c>failed</c> "not configured", as in the HTTP tests; the
    /// receiver records events for a tenant's payment whatever its state).
    /// </summary>
    private static async Task<(Guid TenantId, IReadOnlyList<Guid> Payments)> SetUpTenantAsync(Uri gateway, string connectionString, byte[] dataKey, string secret)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(6) };
        using var activation = new HttpRequestMessage(HttpMethod.Post, "/api/v1/activate")
        {
            Content = JsonContent.Create(ActivationProfiles.Body($"Bench Webhook Foods {Guid.NewGuid():N}"[..30], $"owner-{Guid.NewGuid():N}@example.com")),
        };
        activation.Headers.Add("X-Api-Key", ActivationScenario.OperatorKey);
        var activated = await ExpectAsync(http, activation, HttpStatusCode.Created);
        if (activated.GetProperty("status").GetString() != "completed")
        {
            throw new InvalidOperationException($"the activation answered 201 but {activated.GetProperty("status")}");
        }

        var tenantId = activated.GetProperty("tenant_id").GetGuid();
        var apiKey = activated.GetProperty("result").GetProperty("credentials").GetProperty("api_key").GetString()!;

        await using (var database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }))
        {
            await new TenantSecrets(database, new SecretProtector(dataKey), TimeProvider.System)
                .PutAsync(tenantId, TenantCredentials.StripeWebhookSecret, secret, CancellationToken.None);
        }

        var payments = new List<Guid>();
        for (var i = 0; i < Payments; i++)
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments")
            {
                Content = JsonContent.Create(new JsonObject { ["amount"] = 25.00m + i, ["currency"] = "USD", ["gateway"] = "stripe", ["description"] = $"Bench order {i}" }),
            };
            create.Headers.Add("X-Api-Key", apiKey);
            create.Headers.Add("Idempotency-Key", $"bench-payment-{i}");
            payments.Add((await ExpectAsync(http, create, HttpStatusCode.Created, HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        }

        Log.Info($"webhook: tenant {tenantId:D} activated, Stripe webhook secret sealed, {payments.Count} payments created");
        return (tenantId, payments);
    }

    private static async Task<JsonElement> ExpectAsync(HttpClient http, HttpRequestMessage request, params HttpStatusCode[] expected)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>
    /// Before the load, what the load can only count by status: one event answered <c>accepted</c>, the same again
    /// <c>duplicate</c>, and a tampered signature refused with the receiver's problem type.
    /// </summary>
    private static async Task ProbeAsync(Checks checks, Uri url, Guid tenantId, Guid paymentId, string secret)
    {
        var probe = SignedEvents(secret, tenantId, [paymentId], 1)[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        async Task<(HttpStatusCode Status, string Body)> PostAsync(string signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(probe.Body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var tampered = await PostAsync(probe.Signature[..^1] + (probe.Signature[^1] == '0' ? '1' : '0'));
        var first = await PostAsync(probe.Signature);
        var again = await PostAsync(probe.Signature);
        checks.True(tampered.Status == HttpStatusCode.BadRequest && tampered.Body.Contains("webhook-signature-invalid", StringComparison.Ordinal), "probe: tampered signature → 400 webhook-signature-invalid", $"probe: tampered signature answered {(int)tampered.Status} {tampered.Body}");
        checks.True(first.Status == HttpStatusCode.OK && first.Body.Contains("\"accepted\"", StringComparison.Ordinal), "probe: first delivery → 200 accepted", $"probe: first delivery answered {(int)first.Status} {first.Body}");
        checks.True(again.Status == HttpStatusCode.OK && again.Body.Contains("\"duplicate\"", StringComparison.Ordinal), "probe: same event again → 200 duplicate", $"probe: the repeat answered {(int)again.Status} {again.Body}");
    }

    private static async Task<LoadResult> LoadAsync(RunContext context, ScenarioRow row, Uri url, Guid tenantId, IReadOnlyList<Guid> paymentIds, string secret)
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
            ? await context.Load.RunAsync(spec with { Name = row.Id + "-warmup", Duration = sizes.HttpWarmup, Events = SignedEvents(secret, tenantId, paymentIds, sizes.WebhookEvents / 4) }, directory)
            : new LoadResult();
        var measured = await context.Load.RunAsync(spec with { Duration = sizes.HttpDuration, Events = SignedEvents(secret, tenantId, paymentIds, sizes.WebhookEvents) }, directory);
        Rows.FromLoad(row, measured);
        row.Extra["connections"] = spec.Connections;
        row.Extra["unanswered_at_stop"] = warm.InFlightAtStop + measured.InFlightAtStop;
        if (!row.IsBaseline && measured.DurationSeconds > 0)
        {
            row.Extra["first_deliveries_per_s"] = Math.Round(measured.UniqueSent / measured.DurationSeconds, 1);
        }

        return LoadResult.Sum(warm, measured);
    }

    /// <summary>
    /// Stripe events about the tenant's payments (<c>metadata.tenant_id</c> / <c>payment_id</c>, as our payment intents
    /// carry them), alternately <c>payment_intent.succeeded</c> and <c>payment_intent.payment_failed</c>, each with a
    /// new event id and signed now (within the 300 s tolerance).
    /// </summary>
    public static IReadOnlyList<SignedEvent> SignedEvents(string secret, Guid tenantId, IReadOnlyList<Guid> paymentIds, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var events = new SignedEvent[count];
        for (var i = 0; i < count; i++)
        {
            var failed = i % 2 == 1;
            var body =
                $"{{\"id\":\"evt_{Guid.NewGuid():N}\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":{now.ToUnixTimeSeconds()}," +
                $"\"type\":\"{(failed ? "payment_intent.payment_failed" : "payment_intent.succeeded")}\",\"livemode\":false,\"pending_webhooks\":1," +
                "\"request\":{\"id\":null,\"idempotency_key\":null}," +
                $"\"data\":{{\"object\":{{\"id\":\"pi_{Guid.NewGuid():N}\",\"object\":\"payment_intent\",\"amount\":2500,\"currency\":\"usd\"," +
                $"\"status\":\"{(failed ? "requires_payment_method" : "succeeded")}\"," +
                (failed ? "\"last_payment_error\":{\"code\":\"card_declined\",\"message\":\"Your card was declined.\"}," : string.Empty) +
                $"\"metadata\":{{\"tenant_id\":\"{tenantId:D}\",\"payment_id\":\"{paymentIds[i % paymentIds.Count]:D}\"}}}}}}}}";
            events[i] = new SignedEvent(WebhookSignatures.StripeHeader(Encoding.UTF8.GetBytes(body), secret, now), body);
        }

        return events;
    }
}

using System.Text.Json;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Load;
using BacBos.Benchmarks.Parts;
using BacBos.Benchmarks.Report;
using BacBos.Benchmarks.Servers;
using BacBos.Contracts.Activation;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: the gateway's authenticated accept path — <c>POST /api/v1/activate</c> with
/// <c>Gateway:ActivationWait = 0</c>: authenticate, read and validate the body, record the idempotency key and the
/// activation request in PostgreSQL, publish <c>SubmitActivation</c> (confirmed, into a bound quorum queue), 202 —
/// against a bare Kestrel endpoint answering 202. Then the YARP route (<c>/ops/rabbitmq/…</c>) against nginx proxying
/// the same bare backend, and the backend without a proxy.
/// </summary>
public static class GatewayScenario
{
    public const string Title = "3. Gateway";
    private const string SubmittedQueue = "bench-submitted-activations";

    public static async Task<IReadOnlyList<ScenarioRow>> RunAsync(RunContext context)
    {
        var sizes = context.Sizes;
        var load = context.Load.Name;
        var accept = new ScenarioRow
        {
            Id = "gateway.accept",
            Scenario = Title,
            Variant = $"POST /api/v1/activate → 202 (auth, validate, idempotency + request rows, publish), {sizes.HttpConnections} connections, {load}",
            Unit = "requests/s",
            BaselineIds = ["gateway.bare202"],
        };
        var bare = new ScenarioRow
        {
            Id = "gateway.bare202",
            ShortName = "bare Kestrel",
            Scenario = Title,
            Variant = "baseline: bare Kestrel endpoint reading the body, 202",
            Unit = "requests/s",
            IsBaseline = true,
        };
        var yarp = new ScenarioRow
        {
            Id = "gateway.yarp",
            Scenario = Title,
            Variant = "GET /ops/rabbitmq/… through the gateway's YARP route (operator key) to a bare backend",
            Unit = "requests/s",
            BaselineIds = ["gateway.nginx", "gateway.backend"],
            Note = "YARP includes the gateway's middleware and operator-key authentication; nginx only proxies",
        };
        var nginx = new ScenarioRow
        {
            Id = "gateway.nginx",
            ShortName = "nginx",
            Scenario = Title,
            Variant = "baseline: nginx proxying the same backend (keep-alive upstream)",
            Unit = "requests/s",
            IsBaseline = true,
        };
        var backend = new ScenarioRow
        {
            Id = "gateway.backend",
            ShortName = "no proxy",
            Scenario = Title,
            Variant = "reference: the bare backend without a proxy",
            Unit = "requests/s",
            IsBaseline = true,
        };

        var processes = new List<ChildProcess>();
        BenchDatabase? database = null;
        BenchVhost? vhost = null;
        try
        {
            await Rows.GuardAsync([accept], async () =>
            {
                database = await BenchDatabase.CreateAsync();
                vhost = await BenchVhost.CreateAsync();
                await vhost.BindQueueAsync(typeof(SubmitActivation), SubmittedQueue);
                var (gateway, address) = await StartGatewayAsync(context, database, vhost, proxyTo: null);
                processes.Add(gateway);

                var body = JsonSerializer.Serialize(ActivationProfiles.Body("Bench Accept Foods", "owner@example.com"));
                var spec = new LoadSpec
                {
                    Name = "gateway-accept",
                    Url = new Uri(address, "/api/v1/activate"),
                    Mode = LoadMode.PostUniqueKey,
                    Body = body,
                    KeyPrefix = "bench-" + Guid.NewGuid().ToString("N")[..12],
                    Headers = new Dictionary<string, string> { ["X-Api-Key"] = ActivationScenario.OperatorKey, ["Content-Type"] = "application/json" },
                    Connections = sizes.HttpConnections,
                };
                var total = await WarmAndMeasureAsync(context, accept, spec);
                Rows.AddProcess(accept, "gateway", gateway.PeakRssBytes());

                Rows.CheckHttp(accept.Checks, total, context.Load, 202);
                // The bus outbox publishes after each commit; under sustained load it may trail behind: wait while it drains.
                var (requests, queued, drain) = await Wait.DrainAsync(
                    async () => (await database.CountAsync("SELECT count(*) FROM activation_requests"), (long)(await vhost.ReadyMessagesAsync(SubmittedQueue) ?? 0)),
                    TimeSpan.FromSeconds(20),
                    sizes.WaitTimeout,
                    "SubmitActivation messages enqueued of activation requests recorded");
                var keys = await database.CountAsync("SELECT count(*) FROM idempotency_keys WHERE scope = 'activate'");
                NoteDrain(accept, requests, drain, total);
                accept.Checks.Between("activation requests recorded (202s … requests sent)", requests, total.Status(202), total.Sent);
                accept.Checks.Equal("idempotency keys = requests recorded", requests, keys);
                accept.Checks.Equal("SubmitActivation enqueued = requests recorded", requests, queued);
            });

            await Rows.GuardAsync([bare], async () =>
            {
                var (server, port) = await Hosts.StartHelperAsync("bare", new Dictionary<string, string>(), context.LogDirectory);
                processes.Add(server);
                var spec = new LoadSpec
                {
                    Name = "bare-202",
                    Url = new Uri($"http://127.0.0.1:{port}/api/v1/activate"),
                    Mode = LoadMode.PostUniqueKey,
                    Body = JsonSerializer.Serialize(ActivationProfiles.Body("Bench Accept Foods", "owner@example.com")),
                    KeyPrefix = "bare",
                    Headers = new Dictionary<string, string> { ["X-Api-Key"] = ActivationScenario.OperatorKey, ["Content-Type"] = "application/json" },
                    Connections = sizes.HttpConnections,
                };
                var total = await WarmAndMeasureAsync(context, bare, spec);
                Rows.AddProcess(bare, "bare Kestrel", server.PeakRssBytes());
                Rows.CheckHttp(bare.Checks, total, context.Load, 202);
            });

            await RunProxyAsync(context, yarp, nginx, backend, processes);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }

            if (vhost is not null)
            {
                await vhost.DisposeAsync();
            }

            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }

        return [accept, bare, yarp, nginx, backend];
    }

    private static async Task RunProxyAsync(RunContext context, ScenarioRow yarp, ScenarioRow nginx, ScenarioRow backend, List<ChildProcess> processes)
    {
        var sizes = context.Sizes;
        int backendPort = 0;
        await Rows.GuardAsync([backend, yarp, nginx], async () =>
        {
            var (server, port) = await Hosts.StartHelperAsync("bare", new Dictionary<string, string>(), context.LogDirectory);
            processes.Add(server);
            backendPort = port;
            var url = new Uri($"http://127.0.0.1:{port}/bench/ping");
            await ExpectBackendDocumentAsync(url, null);
            var total = await WarmAndMeasureAsync(context, backend, new LoadSpec { Name = "backend", Url = url, Mode = LoadMode.Get, Connections = sizes.HttpConnections });
            Rows.AddProcess(backend, "bare backend", server.PeakRssBytes());
            Rows.CheckHttp(backend.Checks, total, context.Load, 200);
        });

        if (backendPort == 0)
        {
            return;
        }

        await Rows.GuardAsync([yarp], async () =>
        {
            await using var database = await BenchDatabase.CreateAsync();
            await using var vhost = await BenchVhost.CreateAsync();
            var (gateway, address) = await StartGatewayAsync(context, database, vhost, proxyTo: new Uri($"http://127.0.0.1:{backendPort}/"));
            using (gateway)
            {
                var url = new Uri(address, "/ops/rabbitmq/bench/ping");
                var headers = new Dictionary<string, string> { ["X-Api-Key"] = ActivationScenario.OperatorKey };
                await ExpectBackendDocumentAsync(url, headers);
                var total = await WarmAndMeasureAsync(context, yarp, new LoadSpec { Name = "yarp", Url = url, Mode = LoadMode.Get, Headers = headers, Connections = sizes.HttpConnections });
                Rows.AddProcess(yarp, "gateway", gateway.PeakRssBytes());
                Rows.CheckHttp(yarp.Checks, total, context.Load, 200);
            }
        });

        if (context.Nginx is null)
        {
            nginx.SkipReason = RunContext.NginxMissingNote;
            return;
        }

        await Rows.GuardAsync([nginx], async () =>
        {
            var port = Ports.Free();
            using var server = await Nginx.StartAsync(context.Nginx, port, backendPort, context.Folder("nginx"), context.LogDirectory);
            var url = new Uri($"http://127.0.0.1:{port}/ops/rabbitmq/bench/ping");
            await ExpectBackendDocumentAsync(url, null);
            var total = await WarmAndMeasureAsync(context, nginx, new LoadSpec { Name = "nginx", Url = url, Mode = LoadMode.Get, Connections = sizes.HttpConnections });
            Rows.AddProcess(nginx, "nginx (master + workers)", server.PeakRssBytes(includeChildren: true));
            Rows.CheckHttp(nginx.Checks, total, context.Load, 200);
        });
    }

    /// <summary>
    /// Records how long the outbox needed after the load to enqueue the backlog, and the enqueue rate that implies
    /// over the measured run (the rate the system sustains, as opposed to the HTTP accept rate).
    /// </summary>
    public static void NoteDrain(ScenarioRow row, long enqueued, TimeSpan drain, LoadResult total)
    {
        row.Extra["outbox_drain_after_load_s"] = Math.Round(drain.TotalSeconds, 1);
        row.Extra["enqueued"] = enqueued;
        if (drain > TimeSpan.FromSeconds(1))
        {
            var sustained = enqueued / (total.DurationSeconds + drain.TotalSeconds);
            row.Extra["enqueued_per_s_incl_outbox_drain"] = Math.Round(sustained, 1);
            row.Note = (row.Note is null ? string.Empty : row.Note + "; ")
                + $"the bus outbox needed {drain.TotalSeconds:0} s after the load to enqueue the backlog: ≈{sustained:#,0} enqueued/s sustained";
        }
    }

    /// <summary>The gateway alone (no worker) on RabbitMQ + PostgreSQL, answering 202 at once.</summary>
    private static async Task<(ChildProcess Process, Uri Address)> StartGatewayAsync(RunContext context, BenchDatabase database, BenchVhost vhost, Uri? proxyTo)
    {
        var environment = new Dictionary<string, string>
        {
            ["Gateway__HostWorker"] = "false",
            ["Gateway__ActivationWait"] = "00:00:00",
            ["Bus__Transport"] = "RabbitMq",
            ["ConnectionStrings__RabbitMq"] = vhost.AmqpUri.ToString(),
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Database__DataDirectory"] = context.Folder("gateway-data"),
            ["Security__DataKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Security__OperatorKeys__0"] = ActivationScenario.OperatorKey,
        };
        if (proxyTo is not null)
        {
            environment["ReverseProxy__Clusters__rabbitmq-management__Destinations__primary__Address"] = proxyTo.ToString();
        }

        return await Hosts.StartAsync(proxyTo is null ? "gateway-accept" : "gateway-yarp", "Gateway", environment, context.LogDirectory);
    }

    /// <summary>Warm-up run, then the measured run; fills the row's rate and latency; returns both summed for the checks.</summary>
    public static async Task<LoadResult> WarmAndMeasureAsync(RunContext context, ScenarioRow row, LoadSpec spec)
    {
        var directory = context.Folder("load");
        Log.Info($"{row.Id}: {context.Load.Name}, {spec.Connections} connections, {context.Sizes.HttpWarmup.TotalSeconds:0.#} s warm-up + {context.Sizes.HttpDuration.TotalSeconds:0.#} s");
        // Own idempotency keys per run: a key seen in the warm-up would be an idempotent replay in the measured run.
        var warm = context.Sizes.HttpWarmup > TimeSpan.Zero
            ? await context.Load.RunAsync(spec with { Name = spec.Name + "-warmup", Duration = context.Sizes.HttpWarmup, KeyPrefix = spec.KeyPrefix + "w" }, directory)
            : new LoadResult();
        var measured = await context.Load.RunAsync(spec with { Duration = context.Sizes.HttpDuration, KeyPrefix = spec.KeyPrefix + "m" }, directory);
        Rows.FromLoad(row, measured);
        row.Extra["connections"] = spec.Connections;
        row.Extra["unanswered_at_stop"] = warm.InFlightAtStop + measured.InFlightAtStop;
        return LoadResult.Sum(warm, measured);
    }

    /// <summary>One request first: the answer must be the backend's own document (the proxy really proxies).</summary>
    private static async Task ExpectBackendDocumentAsync(Uri url, IReadOnlyDictionary<string, string>? headers)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text != BareServer.DocumentText)
        {
            throw new InvalidOperationException($"GET {url} did not return the backend's document: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
        }
    }
}

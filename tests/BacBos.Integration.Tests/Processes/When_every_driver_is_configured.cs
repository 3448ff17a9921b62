using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BacBos.Consumers.Activation.Drivers.Data.ClickHouse;
using BacBos.Consumers.Activation.Drivers.Data.Redis;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Integration.Tests.Drivers.Copilots;
using BacBos.Integration.Tests.Drivers.Data;
using BacBos.Integration.Tests.Infrastructure;
using DnsClient;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Processes;

/// <summary>
/// The acceptance test of the real provisioning drivers: one activation through the split gateway and worker with
/// every driver configured (<see cref="EveryDriverSystem"/>) runs all eleven steps for real, and an activation whose
/// step 9 is refused by the cluster compensates steps 8 to 2 and leaves nothing of the tenant on any server or double.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_every_driver_is_configured(EveryDriverSystem system, ITestOutputHelper output) : IClassFixture<EveryDriverSystem>
{
    private static readonly TimeSpan ActivationTimeout = TimeSpan.FromSeconds(180);

    /// <summary>The steps that call provisioning drivers; with every driver configured none of them may be skipped.</summary>
    private static readonly int[] DriverSteps = [4, 5, 6, 7, 9, 10];

    [Fact]
    public async Task Should_complete_an_activation_with_every_driver_real()
    {
        output.WriteLine($"database {system.Split.Database.Name}, process logs: {system.Split.LogDirectory}");
        var clock = Stopwatch.StartNew();
        const string domain = "freshmart.example";
        var (answer, _, activation) = await SubmitAsync("Fresh Mart", domain);
        var tenantId = activation.GetProperty("tenant_id").GetGuid();
        var steps = Steps(activation);
        Print(activation, steps, clock.Elapsed);

        Assert.True(ActivationApi.Status(activation) == "completed", $"activation ended {ActivationApi.Status(activation)}: {activation.GetProperty("failure_reason")}{Environment.NewLine}{system.Diagnostics()}");
        Assert.True(answer is HttpStatusCode.Created or HttpStatusCode.Accepted, $"POST answered {(int)answer}");
        Assert.Equal(11, ActivationApi.StepsCompleted(activation));
        Assert.All(steps, s => Assert.True(s.Status == "completed", $"step {s.Number} {s.Name} is {s.Status}: {s.Detail}"));
        Assert.All(DriverSteps, n => Assert.NotEqual("skipped", steps[n - 1].Status));
        Assert.All(["redis", "s3", "clickhouse"], part => Assert.False(
            steps[4].Outputs[part].StartsWith("skipped", StringComparison.Ordinal), $"step 5 part {part}: {steps[4].Outputs[part]}"));

        // Step 4: the namespace and its objects on the cluster.
        var ns = $"tenant-{tenantId:N}";
        Assert.Equal(ns, steps[3].Outputs["namespace"]);
        Assert.Equal("Active", system.Kubernetes.NamespacePhase(ns));
        var objects = system.Kubernetes.ObjectsIn(ns).Select(o => $"{o.Resource.Kind}/{o.Name}").Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"step 4: {objects.Count} object(s) in {ns}: {string.Join(", ", objects)}");
        Assert.Contains("NetworkPolicy/default-deny-ingress", objects);
        Assert.Contains(objects, o => o.StartsWith("ResourceQuota/", StringComparison.Ordinal));

        // Step 5: tenant schema, Redis user, buckets and ClickHouse database on the real servers.
        Assert.Equal(1, await SchemaCountAsync(tenantId));
        Assert.Equal(TenantRedisAcl.UserName(tenantId), steps[4].Outputs["redis.user"]);
        Assert.NotNull(await system.Data.RedisUserAsync(tenantId));
        Assert.True(await system.Data.BucketExistsAsync(TenantBuckets.Files(tenantId)), "files bucket missing on s3rver");
        Assert.True(await system.Data.BucketExistsAsync(TenantBuckets.Backups(tenantId)), "backups bucket missing on s3rver");
        Assert.Equal(TenantAnalyticsSchema.Database(tenantId), steps[4].Outputs["clickhouse.database"]);
        Assert.True(await DataServers.ClickHouseDatabaseExistsAsync(tenantId), "ClickHouse database missing");
        var onServers = await system.Data.LeftoversAsync(tenantId);
        output.WriteLine($"step 5 on the data servers: {string.Join("; ", onServers)}");

        // Step 6: one commit with the tenant's services in the remote, one Healthy/Synced Application per module.
        var modules = activation.GetProperty("steps")[2].GetProperty("outputs").GetProperty("modules").GetString()!.Split(',');
        var (files, applications) = system.GitOps.LeftFor(tenantId);
        output.WriteLine($"step 6: revision {steps[5].Outputs["revision"]}, {files.Count} file(s) in git, {applications.Count} ArgoCD application(s) for {modules.Length} module(s)");
        Assert.Equal(system.GitOps.Remote.Tip(), steps[5].Outputs["revision"]);
        Assert.Contains("services/storefront/values.yaml", files);
        Assert.Equal(modules.Length, applications.Count);
        Assert.All(modules, m => Assert.Contains("Healthy", steps[5].Outputs[$"module.{m}"], StringComparison.Ordinal));

        // Step 7: the tenant's Stripe webhook endpoint at the double and the email records it recorded.
        var endpoint = Assert.Single(system.Integrations.Stripe.WebhookEndpoints(system.Integrations.StripePlatformKey), e => e.Metadata.GetValueOrDefault("tenant_id") == tenantId.ToString("D"));
        Assert.Equal($"webhook {endpoint.Id} created", steps[6].Outputs["stripe"]);
        Assert.StartsWith("platform key verified", steps[6].Outputs["paystack"], StringComparison.Ordinal);
        Assert.StartsWith("dkim selector bacbos1", steps[6].Outputs["email"], StringComparison.Ordinal);
        var recorded = await system.Split.Database.QueryAsync(
            "SELECT type || ' ' || name FROM tenant_dns_records WHERE tenant_id = @t ORDER BY name", r => r.GetString(0), ("t", tenantId));
        output.WriteLine($"step 7: stripe endpoint {endpoint.Id} -> {endpoint.Url}; recorded DNS: {string.Join(", ", recorded)}");
        Assert.Contains($"TXT bacbos1._domainkey.{domain}", recorded);

        // Step 9: DNSEndpoint and Certificate on the cluster, answered by the resolver, propagation verified.
        Assert.Equal("verified", steps[8].Outputs["propagation"]);
        Assert.NotNull(system.Kubernetes.Get("dnsendpoints", ns, "tenant-dns"));
        Assert.NotNull(system.Kubernetes.Get("certificates", ns, "tenant-tls"));
        var resolver = new LookupClient(new LookupClientOptions(new IPEndPoint(IPAddress.Loopback, system.Dns.Port)) { UseCache = false, Timeout = TimeSpan.FromSeconds(2) });
        var web = (await resolver.QueryAsync($"app.{domain}", QueryType.A)).Answers.ARecords().Select(a => a.Address.ToString()).ToList();
        var dkim = (await resolver.QueryAsync($"bacbos1._domainkey.{domain}", QueryType.TXT)).Answers.TxtRecords().Select(t => string.Concat(t.Text)).ToList();
        output.WriteLine($"step 9: hosts {steps[8].Outputs["hosts"]}; records {steps[8].Outputs["records"]}; app.{domain} A {string.Join(",", web)}; certificate {steps[8].Outputs["certificate"]}");
        Assert.Equal([EveryDriverSystem.IngressAddress], web);
        Assert.Single(dkim, t => t.StartsWith("v=DKIM1; k=rsa; p=", StringComparison.Ordinal));

        // Step 10: one copilot row per configured copilot, each smoke-tested against the LLM endpoint.
        var copilots = int.Parse(steps[9].Outputs["copilots"], CultureInfo.InvariantCulture);
        var rows = await CopilotTestBed.RowsAsync(system.Split.Database, tenantId);
        output.WriteLine($"step 10: {copilots} copilot(s), {rows} row(s), {system.Llm.Requests.Count} LLM call(s); llm {steps[9].Outputs["llm"]}");
        Assert.True(copilots > 0, "no copilot configured although ai_copilot is in the ecommerce preset");
        Assert.Equal(copilots, rows);
        Assert.StartsWith("model ", steps[9].Outputs["llm"], StringComparison.Ordinal);
        Assert.True(system.Llm.Requests.Count >= copilots, $"{system.Llm.Requests.Count} LLM call(s) for {copilots} copilot(s)");

        Assert.Empty(await Ledger.DuplicateLedgerEntriesAsync(system.Split.Database));
        Assert.True(await Ledger.ErrorMessagesAsync(system.Split.Vhost) == 0, $"messages in error queues: {await Ledger.ErrorQueueSummaryAsync(system.Split.Vhost)}");
    }

    [Fact]
    public async Task Should_compensate_back_through_step_4_when_step_9_fails()
    {
        output.WriteLine($"database {system.Split.Database.Name}, process logs: {system.Split.LogDirectory}");
        var clock = Stopwatch.StartNew();
        HttpStatusCode answer;
        JsonElement problem, activation;
        using (system.Kubernetes.Reject("PATCH", "dnsendpoints", "spec.endpoints[0].targets", "rejected by the acceptance test"))
        {
            (answer, problem, activation) = await SubmitAsync("Broken Mart", "brokenmart.example");
        }

        var tenantId = activation.GetProperty("tenant_id").GetGuid();
        var steps = Steps(activation);
        Print(activation, steps, clock.Elapsed);

        Assert.True(ActivationApi.Status(activation) == "failed", $"activation ended {ActivationApi.Status(activation)}{Environment.NewLine}{system.Diagnostics()}");
        Assert.Equal("configure_dns_and_tls", activation.GetProperty("failed_step").GetString());
        if (answer == HttpStatusCode.UnprocessableEntity)
        {
            // Failed within the gateway's wait: the answer is the activation-failed problem naming the step.
            Assert.Equal("configure_dns_and_tls", problem.GetProperty("failed_step").GetString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.Accepted, answer);
        }
        var step9 = steps[8];
        Assert.Equal("failed", step9.Status);
        Assert.Equal(1, step9.Attempts); // a refusal is permanent: no second attempt
        Assert.Contains("422 Invalid", step9.Error, StringComparison.Ordinal);
        Assert.Equal("completed", steps[0].Status);
        Assert.All(steps.Where(s => s.Number is >= 2 and <= 8), s => Assert.True(s.Status == "compensated", $"step {s.Number} {s.Name} is {s.Status}: {s.Error}"));
        Assert.All(steps.Where(s => s.Number >= 10), s => Assert.Equal("pending", s.Status));

        // Reverse order: each compensation finished after the one of the step after it.
        var compensated = steps.Where(s => s.Number is >= 2 and <= 8).OrderByDescending(s => s.Number).ToList();
        Assert.Equal(compensated.Select(s => s.Number), compensated.OrderBy(s => s.FinishedAt).Select(s => s.Number));

        // Each driver step really made something before it was compensated.
        Assert.Contains(system.Kubernetes.Requests, r => r.Method == "PATCH" && r.Path == $"/api/v1/namespaces/tenant-{tenantId:N}" && r.Status is 200 or 201);
        Assert.Contains(system.GitOps.Remote.Commits(), c => c.Message.StartsWith($"bacbos: deploy services of tenant {tenantId:D}", StringComparison.Ordinal));
        Assert.Contains(system.GitOps.Remote.Commits(), c => c.Message.StartsWith($"bacbos: remove services of tenant {tenantId:D}", StringComparison.Ordinal));
        Assert.Contains("deleted namespace", steps[3].Detail, StringComparison.Ordinal);
        Assert.Contains("redis: deleted user", steps[4].Detail, StringComparison.Ordinal);
        Assert.Contains("clickhouse: dropped database", steps[4].Detail, StringComparison.Ordinal);
        Assert.Contains("ArgoCD application(s)", steps[5].Detail, StringComparison.Ordinal);
        Assert.Contains("stripe: 1 webhook endpoint(s) deleted", steps[6].Detail, StringComparison.Ordinal);

        // Nothing of the tenant is left anywhere, each place checked on its own.
        var cluster = system.Kubernetes.LeftoversFor(tenantId);
        var schemas = await SchemaCountAsync(tenantId);
        var data = await system.Data.LeftoversAsync(tenantId);
        var (files, applications) = system.GitOps.LeftFor(tenantId);
        var integrations = await system.Integrations.LeftoversAsync(system.Split.Database, tenantId, []);
        var copilots = await CopilotTestBed.RowsAsync(system.Split.Database, tenantId);
        var secrets = await system.Split.Database.CountAsync("SELECT COUNT(*) FROM tenant_secrets WHERE tenant_id = @t", ("t", tenantId));
        var tenants = await system.Split.Database.CountAsync("SELECT COUNT(*) FROM tenants WHERE id = @t", ("t", tenantId));
        output.WriteLine($"left on the cluster: {Describe(cluster)}; tenant schemas: {schemas}; on Redis/S3/ClickHouse: {Describe(data)}");
        output.WriteLine($"left in git: {Describe(files)}; ArgoCD applications: {Describe(applications)}; step 7: {Describe(integrations)}; copilot rows: {copilots}; secrets: {secrets}; tenant rows: {tenants}");

        Assert.True(cluster.Count == 0, $"namespace or objects left on the cluster: {Describe(cluster)}");
        Assert.True(schemas == 0, $"PostgreSQL schema tenant_{tenantId:N} left");
        Assert.True(await system.Data.RedisUserAsync(tenantId) is null, $"Redis user {TenantRedisAcl.UserName(tenantId)} left");
        Assert.True((await system.Data.RedisKeysAsync(tenantId)).Count == 0, "Redis keys of the tenant left");
        Assert.False(await system.Data.BucketExistsAsync(TenantBuckets.Files(tenantId)), $"bucket {TenantBuckets.Files(tenantId)} left");
        Assert.False(await system.Data.BucketExistsAsync(TenantBuckets.Backups(tenantId)), $"bucket {TenantBuckets.Backups(tenantId)} left");
        Assert.False(await DataServers.ClickHouseDatabaseExistsAsync(tenantId), $"ClickHouse database {TenantAnalyticsSchema.Database(tenantId)} left");
        Assert.True(data.Count == 0, $"left on the data servers: {Describe(data)}");
        system.GitOps.AssertNothingLeftFor(tenantId);
        Assert.True(integrations.Count == 0, $"step 7 left: {Describe(integrations)}");
        Assert.True(copilots == 0, $"{copilots} copilot row(s) left");
        Assert.True(secrets == 0, $"{secrets} tenant secret(s) left");
        Assert.True(tenants == 0, "tenant row left");
        Assert.True(await Ledger.ErrorMessagesAsync(system.Split.Vhost) == 0, $"messages in error queues: {await Ledger.ErrorQueueSummaryAsync(system.Split.Vhost)}");
    }

    /// <summary>
    /// Submits the e-commerce profile (storefront, ai_copilot, Stripe, Paystack, email) on its own domain and waits for
    /// its end. The gateway answers 201 or 422 (activation-failed) when the saga ends within its wait, else 202.
    /// </summary>
    private async Task<(HttpStatusCode Answer, JsonElement Body, JsonElement Activation)> SubmitAsync(string name, string domain)
    {
        var body = ActivationApi.Body($"{name} {Guid.NewGuid():N}"[..(name.Length + 7)]);
        body["domain"] = domain;
        using var response = await system.Split.Http.PostAsJsonAsync(new Uri("/api/v1/activate", UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted or HttpStatusCode.UnprocessableEntity,
            $"POST /api/v1/activate answered {(int)response.StatusCode}: {text}{Environment.NewLine}{system.Diagnostics()}");
        var answer = JsonDocument.Parse(text).RootElement.Clone();
        var activationId = answer.GetProperty("activation_id").GetGuid();
        output.WriteLine($"POST /api/v1/activate answered {(int)response.StatusCode}: activation {activationId}");
        return (response.StatusCode, answer, await system.WaitUntilFinishedAsync(activationId, ActivationTimeout));
    }

    private Task<long> SchemaCountAsync(Guid tenantId) =>
        system.Split.Database.CountAsync("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = @s", ("s", $"tenant_{tenantId:N}"));

    private void Print(JsonElement activation, IReadOnlyList<Step> steps, TimeSpan elapsed)
    {
        output.WriteLine($"activation {activation.GetProperty("activation_id")} of tenant {activation.GetProperty("tenant_id")}: {ActivationApi.Status(activation)} after {elapsed.TotalSeconds:0.0} s; failure: {activation.GetProperty("failure_reason")}");
        var submitted = activation.GetProperty("submitted_at").GetDateTimeOffset();
        foreach (var s in steps)
        {
            // A compensated step's finished_at is when its compensation finished: shown as time since submission.
            var duration = (s.StartedAt, s.FinishedAt) switch
            {
                (_, { } end) when s.Status == "compensated" => $"undone at +{(end - submitted).TotalSeconds:0.00} s",
                ({ } start, { } end) => $"took {(end - start).TotalSeconds:0.00} s",
                _ => "-",
            };
            output.WriteLine($"{s.Number,2} {s.Name,-26} {s.Status,-12} attempts {s.Attempts}, compensations {s.CompensationAttempts}, {duration,-20} {s.Error ?? s.Detail}");
        }
    }

    private static string Describe(IEnumerable<string> items) => items.Any() ? string.Join(", ", items) : "none";

    private static IReadOnlyList<Step> Steps(JsonElement activation) =>
        activation.GetProperty("steps").EnumerateArray().Select(s => new Step(
            s.GetProperty("number").GetInt32(),
            s.GetProperty("step").GetString()!,
            s.GetProperty("status").GetString()!,
            s.GetProperty("attempts").GetInt32(),
            s.GetProperty("compensation_attempts").GetInt32(),
            s.GetProperty("started_at").ValueKind == JsonValueKind.Null ? null : s.GetProperty("started_at").GetDateTimeOffset(),
            s.GetProperty("finished_at").ValueKind == JsonValueKind.Null ? null : s.GetProperty("finished_at").GetDateTimeOffset(),
            s.GetProperty("detail").GetString() ?? string.Empty,
            s.GetProperty("error").GetString(),
            s.GetProperty("outputs").ValueKind == JsonValueKind.Object
                ? s.GetProperty("outputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal))).ToList();

    /// <summary>One row of <c>steps</c> in <c>GET /api/v1/activations/{id}</c>.</summary>
    private sealed record Step(
        int Number,
        string Name,
        string Status,
        int Attempts,
        int CompensationAttempts,
        DateTimeOffset? StartedAt,
        DateTimeOffset? FinishedAt,
        string Detail,
        string? Error,
        IReadOnlyDictionary<string, string> Outputs);
}

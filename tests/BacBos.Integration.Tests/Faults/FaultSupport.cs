using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Processes;
using Npgsql;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// The fault classes stop and restart the shared servers and kill processes: they run one after another, and
/// scripts/test.sh runs them (<c>Category=Faults</c>) in a separate, final <c>dotnet test</c> after everything else.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "Faults: processes and servers killed, stopped and restarted";
}

/// <summary>Stops and starts the real servers (root, as scripts/servers.sh).</summary>
public static class Servers
{
    private static readonly HttpClient Management = new() { Timeout = TimeSpan.FromSeconds(3) };

    static Servers() =>
        Management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));

    public static Task RabbitStopAppAsync() => RunAsync("rabbitmqctl", ["stop_app"], RabbitEnvironment, TimeSpan.FromSeconds(60));

    public static Task RabbitStartAppAsync() => RunAsync("rabbitmqctl", ["start_app"], RabbitEnvironment, TimeSpan.FromSeconds(90));

    /// <summary>Polls the management API (<c>/api/overview</c>) and an AMQP connection until both answer.</summary>
    public static Task WaitUntilRabbitAnswersAsync(TimeSpan timeout) =>
        Eventually.MatchAsync(
            async () =>
            {
                try
                {
                    using var response = await Management.GetAsync(new Uri(TestEnvironment.RabbitMqManagement, "/api/overview"));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return $"management answered {(int)response.StatusCode}";
                    }

                    var factory = new RabbitMQ.Client.ConnectionFactory { Uri = TestEnvironment.RabbitMq };
                    await using var connection = await factory.CreateConnectionAsync();
                    return "ok";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
                {
                    return ex.GetType().Name + ": " + ex.Message;
                }
            },
            state => state == "ok",
            timeout,
            "RabbitMQ (management API and AMQP) to answer");

    /// <summary>Installed PostgreSQL major version (scripts/servers.sh uses the newest under /usr/lib/postgresql).</summary>
    public static string PostgresVersion =>
        Directory.GetDirectories("/usr/lib/postgresql").Select(Path.GetFileName).OrderBy(v => int.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)).Last()!;

    public static Task PostgresRestartAsync() =>
        RunAsync("pg_ctlcluster", [PostgresVersion, Cluster, "restart", "-m", "fast"], null, TimeSpan.FromSeconds(90));

    /// <summary>Starts the cluster unless it runs, then polls until it accepts a connection.</summary>
    public static async Task EnsurePostgresUpAsync(TimeSpan timeout)
    {
        if (!await CanConnectToPostgresAsync())
        {
            try
            {
                await RunAsync("pg_ctlcluster", [PostgresVersion, Cluster, "start"], null, TimeSpan.FromSeconds(90));
            }
            catch (InvalidOperationException)
            {
                // Already running (start fails then): the poll below decides.
            }
        }

        await Eventually.MatchAsync(CanConnectToPostgresAsync, up => up, timeout, "PostgreSQL to accept connections");
    }

    public static async Task<bool> CanConnectToPostgresAsync()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin) { Pooling = false, Timeout = 3 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string Cluster => Environment.GetEnvironmentVariable("BACBOS_PG_CLUSTER") is { Length: > 0 } c ? c : "main";

    private static readonly Dictionary<string, string> RabbitEnvironment = new() { ["HOME"] = "/var/lib/rabbitmq" };

    private static async Task RunAsync(string file, string[] args, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}

/// <summary>The exactly-once checks every fault scenario ends with, and the figures it prints.</summary>
public static class ExactlyOnce
{
    /// <summary>Step entries (completed or skipped) in the activation sagas' state.</summary>
    public static Task<long> StepsDoneAsync(PostgresDatabase db) =>
        db.CountAsync(
            "SELECT COUNT(*) FROM saga_instances s, jsonb_array_elements(s.data -> 'steps') x " +
            "WHERE s.saga_type = 'ActivationState' AND x ->> 'status' IN ('Completed', 'Skipped')");

    /// <summary>Activations not yet completed according to the saga table (a not yet created saga counts as in flight).</summary>
    public static async Task<long> InFlightAsync(PostgresDatabase db, int activations) =>
        activations - (await Ledger.SagaStatesAsync(db)).GetValueOrDefault("Completed");

    /// <summary>Submits <paramref name="count"/> activations concurrently (the gateway answers 202 at once).</summary>
    public static async Task<List<Guid>> SubmitAsync(SplitSystem system, int count, string name)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var submissions = await Task.WhenAll(Enumerable.Range(1, count).Select(i =>
            ActivationApi.SubmitAsync(system.Http, ActivationApi.Body($"{name} {run} {i:00}"), null, system.Diagnostics)));
        var ids = submissions.Select(s => s.ActivationId).Distinct().ToList();
        Assert.True(ids.Count == count, $"expected {count} distinct activation ids, got {ids.Count}");
        return ids;
    }

    /// <summary>
    /// Every activation completed once, every step's side effect applied exactly once: one tenant row, one API key,
    /// one owner and one schema per activation, no duplicate ledger entry, every database-backed step in the ledger,
    /// all sagas Completed, nothing in an error queue. Prints completed / duplicated effects / lost first.
    /// </summary>
    public static async Task AssertAsync(SplitSystem system, IReadOnlyCollection<Guid> ids, IReadOnlyDictionary<Guid, JsonElement> finals, ITestOutputHelper output)
    {
        var db = system.Database;
        var tenants = await Ledger.TenantsPerActivationAsync(db);
        var identities = await Ledger.IdentityPerActivationAsync(db);
        var duplicates = await Ledger.DuplicateLedgerEntriesAsync(db);
        var unrecorded = await Ledger.MissingLedgerEntriesAsync(db);
        var states = await Ledger.SagaStatesAsync(db);
        var schemas = await Ledger.TenantSchemasAsync(db);
        var errors = await Ledger.ErrorQueueSummaryAsync(system.Vhost);
        var errorMessages = await Ledger.ErrorMessagesAsync(system.Vhost);

        string[] transactional = ["CreateTenantIdentity/", "ApplyIndustryPreset/", "SetupDatabases/", "SeedData/"];
        var unrecordedTransactional = unrecorded.Where(u => transactional.Any(t => u.Contains(" " + t, StringComparison.Ordinal))).ToList();
        var completed = ids.Count(id => finals.TryGetValue(id, out var f) && ActivationApi.Status(f) == "completed");
        var lost = ids.Count - completed + ids.Count(id => !tenants.ContainsKey(id));
        var duplicated = duplicates.Count
            + tenants.Values.Count(n => n > 1)
            + identities.Values.Count(i => i.ApiKeys > 1 || i.Owners > 1 || i.Users > 1)
            + (int)Math.Max(0, schemas - ids.Count);
        var retried = finals.Values.SelectMany(f => f.GetProperty("steps").EnumerateArray())
            .Where(s => s.GetProperty("attempts").GetInt32() > 1)
            .Select(s => s.GetProperty("step").GetString())
            .ToList();

        output.WriteLine($"completed: {completed} of {ids.Count}; duplicated effects: {duplicated}; lost: {lost}");
        output.WriteLine($"tenant rows: {tenants.Values.Sum()}, API keys: {identities.Values.Sum(i => i.ApiKeys)}, tenant schemas: {schemas}, ledger rows: {await Ledger.LedgerRowsAsync(db)}, saga states: {string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}");
        output.WriteLine($"steps retried by the saga (attempts > 1): {retried.Count}{(retried.Count > 0 ? " [" + string.Join(", ", retried.GroupBy(r => r).Select(g => $"{g.Key} x{g.Count()}")) + "]" : string.Empty)}");
        output.WriteLine($"duplicate ledger entries: {duplicates.Count}{(duplicates.Count > 0 ? " — " + string.Join("; ", duplicates) : string.Empty)}; side effects missing from the ledger: {unrecorded.Count}{(unrecorded.Count > 0 ? " — " + string.Join("; ", unrecorded) : string.Empty)}");
        output.WriteLine($"error queues: {errors}");

        Assert.Equal(0, lost);
        Assert.True(duplicated == 0, "side effects applied more than once: " + string.Join("; ", duplicates) + Environment.NewLine + system.Diagnostics());
        Assert.Equal(new Dictionary<string, long> { ["Completed"] = ids.Count }, states);
        Assert.Equal(ids.OrderBy(x => x), tenants.Keys.OrderBy(x => x));
        Assert.All(tenants, t => Assert.True(t.Value == 1, $"activation {t.Key} has {t.Value} tenant rows"));
        Assert.All(identities, i => Assert.True(
            i.Value is { ApiKeys: 1, Owners: 1, Users: 1 },
            $"activation {i.Key}: {i.Value.ApiKeys} API key(s), {i.Value.Owners} owner(s), {i.Value.Users} user(s)"));
        Assert.Equal(ids.Count, schemas);
        Assert.True(unrecordedTransactional.Count == 0, "database-backed side effects missing from the ledger: " + string.Join("; ", unrecordedTransactional));
        Assert.True(errorMessages == 0, $"messages in error queues: {errors}{Environment.NewLine}{system.Diagnostics()}");
    }
}

using System.Diagnostics;
using System.Text.Json;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Processes;

/// <summary>
/// Several activations in flight when the worker process is SIGKILLed; a new worker with the same configuration
/// finishes them (redelivered messages, and the deadline watchdog for messages the crash lost).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_the_worker_is_killed_mid_activation(When_the_worker_is_killed_mid_activation.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_the_worker_is_killed_mid_activation.Fixture>
{
    private const int Activations = 10;

    /// <summary>Kill once the leading activation is this far (so the kill lands at different steps of different activations).</summary>
    private const int LeaderStepsAtKill = 4;
    private const int MinimumInFlightAtKill = 5;

    /// <summary>The gateway answers 202 at once; a lost step is retried after 10 s, checked every second.</summary>
    public sealed class Fixture : SplitSystem
    {
        protected override void ConfigureGateway(IDictionary<string, string> environment) =>
            environment["Gateway__ActivationWait"] = "00:00:00";

        protected override void ConfigureWorker(IDictionary<string, string> environment)
        {
            environment["Activation__StepTimeout"] = "00:00:10";
            environment["Activation__WatchdogInterval"] = "00:00:01";
        }
    }

    [Fact]
    public async Task Should_complete_without_applying_any_step_twice()
    {
        output.WriteLine($"database {system.Database.Name}, process logs: {system.LogDirectory}");
        var clock = Stopwatch.StartNew();
        var notFoundBefore = ActivationApi.NotFoundAnswers;
        var run = Guid.NewGuid().ToString("N")[..6];
        var submissions = await Task.WhenAll(Enumerable.Range(1, Activations).Select(i =>
            ActivationApi.SubmitAsync(system.Http, ActivationApi.Body($"Crash Test Shop {run} {i:00}"), null, system.Diagnostics)));
        var ids = submissions.Select(s => s.ActivationId).Distinct().ToList();
        Assert.True(ids.Count == Activations, $"expected {Activations} distinct activation ids, got {ids.Count}");

        // Kill once the leading running activation has a few steps behind it; the others are at earlier steps.
        var progress = await Eventually.MatchAsync(
            async () => await Task.WhenAll(ids.Select(id => ActivationApi.TryGetAsync(system.Http, id))),
            states => states.Any(s => s is { } state && ActivationApi.Status(state) == "running" && ActivationApi.StepsCompleted(state) >= LeaderStepsAtKill),
            TimeSpan.FromSeconds(60),
            $"a running activation with {LeaderStepsAtKill} completed steps",
            states => string.Join("; ", states.Select(s => s is { } state ? $"{ActivationApi.Status(state)}/{ActivationApi.StepsCompleted(state)}" : "404")),
            system.Diagnostics);
        var killedWorker = system.Worker;
        system.KillWorker();
        var killedAt = clock.Elapsed;

        // The worker is dead: nothing changes the sagas now, so this is exactly what was in flight at the kill.
        var statesAtKill = await Ledger.SagaStatesAsync(system.Database);
        var inFlight = Activations - statesAtKill.GetValueOrDefault("Completed");
        var stepsAtKill = await system.Database.CountAsync(
            "SELECT COUNT(*) FROM saga_instances s, jsonb_array_elements(s.data -> 'steps') x " +
            "WHERE s.saga_type = 'ActivationState' AND x ->> 'status' IN ('Completed', 'Skipped')");
        var runningStepsAtKill = await system.Database.CountAsync(
            "SELECT COUNT(*) FROM saga_instances s, jsonb_array_elements(s.data -> 'steps') x " +
            "WHERE s.saga_type = 'ActivationState' AND x ->> 'status' = 'Running'");
        output.WriteLine($"killed worker pid {killedWorker.ProcessId} after {killedAt.TotalSeconds:0.0} s; in flight: {inFlight} of {Activations}; steps completed at the kill: {stepsAtKill} of {Activations * 11}; step commands in flight: {runningStepsAtKill}; saga states: {Describe(statesAtKill)}");
        output.WriteLine($"steps completed per activation, last GET before the kill: {string.Join(", ", progress.Select(s => s is { } state ? ActivationApi.StepsCompleted(state).ToString(System.Globalization.CultureInfo.InvariantCulture) : "404"))}");
        Assert.True(inFlight >= MinimumInFlightAtKill, $"only {inFlight} activation(s) were in flight when the worker was killed; the scenario needs {MinimumInFlightAtKill}");

        var worker = await system.StartAnotherWorkerAsync();
        output.WriteLine($"worker restarted (pid {worker.ProcessId}) after {clock.Elapsed.TotalSeconds:0.0} s");

        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(150), system.Diagnostics);
        var completedAt = clock.Elapsed;

        var tenants = await Ledger.TenantsPerActivationAsync(system.Database);
        var identities = await Ledger.IdentityPerActivationAsync(system.Database);
        var duplicates = await Ledger.DuplicateLedgerEntriesAsync(system.Database);
        var unrecorded = await Ledger.MissingLedgerEntriesAsync(system.Database);
        var states = await Ledger.SagaStatesAsync(system.Database);
        var schemas = await Ledger.TenantSchemasAsync(system.Database);
        var errors = await Ledger.ErrorQueueSummaryAsync(system.Vhost);
        var retried = finals.Values.SelectMany(f => f.GetProperty("steps").EnumerateArray())
            .Where(s => s.GetProperty("attempts").GetInt32() > 1)
            .Select(s => s.GetProperty("step").GetString())
            .ToList();
        output.WriteLine($"completed: {finals.Values.Count(f => ActivationApi.Status(f) == "completed")} of {Activations} after {completedAt.TotalSeconds:0.0} s ({(completedAt - killedAt).TotalSeconds:0.0} s after the kill)");
        output.WriteLine($"steps retried (attempts > 1): {retried.Count} [{string.Join(", ", retried)}]");
        output.WriteLine($"tenant rows: {tenants.Values.Sum()}, tenant schemas: {schemas}, saga states: {Describe(states)}");
        output.WriteLine($"ledger rows: {await Ledger.LedgerRowsAsync(system.Database)}, duplicates found: {duplicates.Count}{(duplicates.Count > 0 ? " — " + string.Join("; ", duplicates) : string.Empty)}");
        // Database-backed steps write their ledger row in the same transaction as their change, so for them every
        // activation must have exactly one row (applied exactly once). File-backed steps (4, 6) record after the write
        // and are only reported.
        string[] transactional = ["CreateTenantIdentity/", "ApplyIndustryPreset/", "SetupDatabases/", "SeedData/"];
        var unrecordedTransactional = unrecorded.Where(u => transactional.Any(t => u.Contains(" " + t, StringComparison.Ordinal))).ToList();
        output.WriteLine($"side effects applied but missing from the ledger: {unrecorded.Count}{(unrecorded.Count > 0 ? " — " + string.Join("; ", unrecorded) : string.Empty)}");
        output.WriteLine($"error queues: {errors}; GETs of accepted activations that answered 404 (not yet created by the worker): {ActivationApi.NotFoundAnswers - notFoundBefore}");

        Assert.All(ids, id => Assert.Equal("completed", ActivationApi.Status(finals[id])));
        Assert.Equal(new Dictionary<string, long> { ["Completed"] = Activations }, states);
        Assert.Equal(ids.OrderBy(x => x), tenants.Keys.OrderBy(x => x));
        Assert.All(tenants, t => Assert.True(t.Value == 1, $"activation {t.Key} has {t.Value} tenant rows"));
        Assert.True(duplicates.Count == 0, "provisioning side effects applied twice: " + string.Join("; ", duplicates) + Environment.NewLine + system.Diagnostics());
        Assert.True(unrecordedTransactional.Count == 0, "database-backed side effects missing from the ledger: " + string.Join("; ", unrecordedTransactional));
        Assert.All(identities, i => Assert.True(
            i.Value is { ApiKeys: 1, Owners: 1, Users: 1 },
            $"activation {i.Key}: {i.Value.ApiKeys} API key(s), {i.Value.Owners} owner(s), {i.Value.Users} user(s)"));
        Assert.Equal(Activations, schemas);
        Assert.True(await Ledger.ErrorMessagesAsync(system.Vhost) == 0, $"messages in error queues: {errors}{Environment.NewLine}{system.Diagnostics()}");
    }

    private static string Describe(IReadOnlyDictionary<string, long> states) =>
        states.Count == 0 ? "none" : string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"));
}

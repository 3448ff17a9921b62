using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Processes;

/// <summary>
/// Fault injection: gateway and worker send every message twice with the same message id
/// (<c>Bus:Testing:DuplicateEveryMessage</c>). The inboxes must make the outcome identical to a clean run: every
/// activation completes, every step is applied once and runs one attempt, one tenant per activation.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_every_message_is_delivered_twice(When_every_message_is_delivered_twice.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_every_message_is_delivered_twice.Fixture>
{
    private const int Activations = 10;

    public sealed class Fixture : SplitSystem
    {
        protected override void ConfigureGateway(IDictionary<string, string> environment) => environment["Bus__Testing__DuplicateEveryMessage"] = "true";

        protected override void ConfigureWorker(IDictionary<string, string> environment) => environment["Bus__Testing__DuplicateEveryMessage"] = "true";
    }

    [Fact]
    public async Task Should_reach_the_same_outcome_as_a_clean_run()
    {
        var clock = Stopwatch.StartNew();
        var run = Guid.NewGuid().ToString("N")[..6];
        var submissions = await Task.WhenAll(Enumerable.Range(1, Activations).Select(i =>
            ActivationApi.SubmitAsync(system.Http, ActivationApi.Body($"Twice Told Shop {run} {i:00}"), null, system.Diagnostics)));
        var ids = submissions.Select(s => s.ActivationId).Distinct().ToList();
        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(150), system.Diagnostics);

        var tenants = await Ledger.TenantsPerActivationAsync(system.Database);
        var duplicates = await Ledger.DuplicateLedgerEntriesAsync(system.Database);
        var states = await Ledger.SagaStatesAsync(system.Database);
        var duplicatesSeen = await system.Database.CountAsync("SELECT COUNT(*) FROM inbox_state WHERE receive_count > 0");
        var retried = finals.Values.SelectMany(f => f.GetProperty("steps").EnumerateArray())
            .Where(s => s.GetProperty("attempts").GetInt32() != 1)
            .Select(s => s.GetProperty("step").GetString())
            .ToList();
        output.WriteLine($"in flight: {Activations}; completed: {finals.Values.Count(f => ActivationApi.Status(f) == "completed")} after {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"tenant rows: {tenants.Values.Sum()}, duplicated effects: {duplicates.Count}, steps with attempts != 1: {retried.Count}, inbox rows: {duplicatesSeen}");
        var ignored = DuplicatesIgnoredInLogs();
        output.WriteLine($"duplicates recognised by the inboxes (worker and gateway logs): {ignored}");
        output.WriteLine($"error queues: {await Ledger.ErrorQueueSummaryAsync(system.Vhost)}");

        // The injection really happened: at least one duplicate per step command, reply and submission.
        Assert.True(ignored >= Activations * 11, $"only {ignored} duplicates were recognised; the fault injection did not take effect");

        Assert.Equal(Activations, ids.Count);
        Assert.All(ids, id => Assert.Equal("completed", ActivationApi.Status(finals[id])));
        Assert.Equal(new Dictionary<string, long> { ["Completed"] = Activations }, states);
        Assert.All(tenants, t => Assert.True(t.Value == 1, $"activation {t.Key} has {t.Value} tenant rows"));
        Assert.Equal(Activations, tenants.Count);
        Assert.True(duplicates.Count == 0, "provisioning steps applied twice: " + string.Join("; ", duplicates));
        Assert.True(retried.Count == 0, "duplicates changed the attempt counts: " + string.Join(", ", retried));
        Assert.True(await Ledger.ErrorMessagesAsync(system.Vhost) == 0, system.Diagnostics());
    }

    private int DuplicatesIgnoredInLogs() =>
        Directory.EnumerateFiles(system.LogDirectory, "*.log")
            .Sum(file => File.ReadLines(file).Count(line => line.Contains("ignored by the inbox", StringComparison.Ordinal)));
}

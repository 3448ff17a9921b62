using System.Diagnostics;
using System.Net;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Processes;

/// <summary>Twenty activations posted at the same moment to a split gateway + worker on RabbitMQ and PostgreSQL.</summary>
[Collection(ProcessCollection.Name)]
public sealed class When_twenty_activations_arrive_at_once(When_twenty_activations_arrive_at_once.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_twenty_activations_arrive_at_once.Fixture>
{
    private const int Activations = 20;

    /// <summary>Default gateway wait (8 s): answers are 201 or 202 depending on the load.</summary>
    public sealed class Fixture : SplitSystem;

    [Fact]
    public async Task Should_complete_all_of_them()
    {
        output.WriteLine($"database {system.Database.Name}, process logs: {system.LogDirectory}");
        var clock = Stopwatch.StartNew();
        var run = Guid.NewGuid().ToString("N")[..6];
        var submissions = await Task.WhenAll(Enumerable.Range(1, Activations).Select(i =>
            ActivationApi.SubmitAsync(system.Http, ActivationApi.Body($"Concurrent Shop {run} {i:00}"), null, system.Diagnostics)));
        var submitted = clock.Elapsed;
        var ids = submissions.Select(s => s.ActivationId).Distinct().ToList();
        Assert.True(ids.Count == Activations, $"expected {Activations} distinct activation ids, got {ids.Count}");

        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(150), system.Diagnostics);
        var completed = clock.Elapsed;

        var tenants = await Ledger.TenantsPerActivationAsync(system.Database);
        var schemas = await Ledger.TenantSchemasAsync(system.Database);
        var states = await Ledger.SagaStatesAsync(system.Database);
        var duplicates = await Ledger.DuplicateLedgerEntriesAsync(system.Database);
        var errors = await Ledger.ErrorQueueSummaryAsync(system.Vhost);
        output.WriteLine($"in flight: {Activations}; answered 201: {submissions.Count(s => s.Status == HttpStatusCode.Created)}, 202: {submissions.Count(s => s.Status == HttpStatusCode.Accepted)} (all answers after {submitted.TotalSeconds:0.0} s)");
        output.WriteLine($"completed: {finals.Values.Count(f => ActivationApi.Status(f) == "completed")} after {completed.TotalSeconds:0.0} s");
        output.WriteLine($"tenant rows: {tenants.Values.Sum()}, tenant schemas: {schemas}, saga states: {string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"))}");
        output.WriteLine($"ledger rows: {await Ledger.LedgerRowsAsync(system.Database)}, duplicates found: {duplicates.Count}, error queues: {errors}");

        Assert.All(ids, id => Assert.Equal("completed", ActivationApi.Status(finals[id])));
        Assert.Equal(ids.OrderBy(x => x), tenants.Keys.OrderBy(x => x));
        Assert.All(tenants, t => Assert.True(t.Value == 1, $"activation {t.Key} has {t.Value} tenant rows"));
        Assert.Equal(Activations, schemas);
        Assert.Equal(new Dictionary<string, long> { ["Completed"] = Activations }, states);
        Assert.True(duplicates.Count == 0, "provisioning steps applied twice: " + string.Join("; ", duplicates));
        Assert.True(await Ledger.ErrorMessagesAsync(system.Vhost) == 0, $"messages in error queues: {errors}{Environment.NewLine}{system.Diagnostics()}");
    }
}

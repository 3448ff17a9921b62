using System.Diagnostics;
using System.Net;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Processes;

/// <summary>Ten identical requests with one Idempotency-Key at the same moment: one activation, one tenant.</summary>
[Collection(ProcessCollection.Name)]
public sealed class When_one_idempotency_key_is_sent_concurrently(When_one_idempotency_key_is_sent_concurrently.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_one_idempotency_key_is_sent_concurrently.Fixture>
{
    private const int Requests = 10;

    public sealed class Fixture : SplitSystem;

    [Fact]
    public async Task Should_create_one_tenant()
    {
        output.WriteLine($"database {system.Database.Name}, process logs: {system.LogDirectory}");
        var clock = Stopwatch.StartNew();
        var key = "it-" + Guid.NewGuid().ToString("N");
        var body = ActivationApi.Body($"Idempotent Shop {key[3..9]}");
        var submissions = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ =>
            ActivationApi.SubmitAsync(system.Http, body, key, system.Diagnostics)));
        var ids = submissions.Select(s => s.ActivationId).Distinct().ToList();
        output.WriteLine($"in flight: {Requests} requests; answered 201: {submissions.Count(s => s.Status == HttpStatusCode.Created)}, 202: {submissions.Count(s => s.Status == HttpStatusCode.Accepted)}; distinct activation ids: {ids.Count}");
        Assert.True(ids.Count == 1, "one Idempotency-Key gave several activations: " + string.Join(", ", ids));

        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(90), system.Diagnostics);
        var tenants = await Ledger.TenantRowsAsync(system.Database);
        var sagas = await Ledger.ActivationSagasAsync(system.Database);
        var keys = await system.Database.CountAsync("SELECT COUNT(*) FROM idempotency_keys WHERE key = @k", ("k", key));
        var reveals = submissions.Count(s => ActivationApi.RevealsSecrets(s.Body)) + finals.Values.Count(ActivationApi.RevealsSecrets);
        var duplicates = await Ledger.DuplicateLedgerEntriesAsync(system.Database);
        var errors = await Ledger.ErrorQueueSummaryAsync(system.Vhost);
        output.WriteLine($"completed: {finals.Values.Count(f => ActivationApi.Status(f) == "completed")} after {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"tenant rows: {tenants}, saga instances: {sagas}, idempotency records: {keys}, answers revealing the secrets: {reveals}, duplicates found: {duplicates.Count}; error queues: {errors}");

        Assert.Equal("completed", ActivationApi.Status(finals[ids[0]]));
        Assert.Equal(1, tenants);
        Assert.Equal(1, sagas);
        Assert.Equal(1, keys);
        Assert.Equal(1, reveals);
        Assert.Empty(duplicates);
        Assert.True(await Ledger.ErrorMessagesAsync(system.Vhost) == 0, $"messages in error queues: {errors}{Environment.NewLine}{system.Diagnostics()}");
    }
}

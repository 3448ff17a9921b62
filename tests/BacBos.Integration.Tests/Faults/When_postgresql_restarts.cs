using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// 50 activations in flight when PostgreSQL restarts (<c>pg_ctlcluster … restart -m fast</c>: every connection is
/// terminated, open transactions roll back). The retries and redeliveries carry the messages over the gap; every
/// activation completes with each step applied exactly once.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_postgresql_restarts(When_postgresql_restarts.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_postgresql_restarts.Fixture>
{
    private const int Activations = 50;

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
    public async Task Should_complete_every_activation_once_the_database_is_back()
    {
        output.WriteLine($"database {system.Database.Name}, process logs: {system.LogDirectory}");
        var clock = Stopwatch.StartNew();
        var ids = await ExactlyOnce.SubmitAsync(system, Activations, "Database Restart Shop");

        await Eventually.MatchAsync(
            () => ExactlyOnce.StepsDoneAsync(system.Database),
            done => done >= 30,
            TimeSpan.FromSeconds(60),
            "30 steps done before the restart",
            diagnostics: system.Diagnostics);
        var inFlight = await ExactlyOnce.InFlightAsync(system.Database, Activations);
        var stepsBefore = await ExactlyOnce.StepsDoneAsync(system.Database);

        // Meanwhile a client keeps reading one activation: while the database is away the gateway must answer 503
        // problem+json with Retry-After, never 500.
        using var polling = new CancellationTokenSource();
        var poller = PollActivationAsync(ids[0], polling.Token);
        var restartAt = clock.Elapsed;
        try
        {
            await Servers.PostgresRestartAsync();
        }
        finally
        {
            await Servers.EnsurePostgresUpAsync(TimeSpan.FromSeconds(90));

            // This test process's own pooled connections were terminated too.
            Npgsql.NpgsqlConnection.ClearAllPools();
            await polling.CancelAsync();
        }

        var answers = await poller;
        var byStatus = answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}");
        output.WriteLine($"GET of one activation during the restart: {string.Join(", ", byStatus)}");
        Assert.DoesNotContain(answers, a => a.Status >= 500 && a.Status != 503);
        Assert.All(answers.Where(a => a.Status == 503), a => Assert.True(a.WellFormed, "a 503 without Retry-After or problem+json"));

        var upAt = clock.Elapsed;
        output.WriteLine($"restart at {restartAt.TotalSeconds:0.0} s (in flight: {inFlight} of {Activations}; steps done: {stepsBefore} of {Activations * 11}); accepting connections again at {upAt.TotalSeconds:0.0} s");
        Assert.True(inFlight > 0, "the restart hit no activation in flight");

        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(150), system.Diagnostics);
        output.WriteLine($"all completed after {clock.Elapsed.TotalSeconds:0.0} s ({(clock.Elapsed - upAt).TotalSeconds:0.0} s after the restart); gateway alive: {!system.Gateway.HasExited}, worker alive: {!system.Worker.HasExited}");
        Assert.False(system.Worker.HasExited, "the worker exited during the database restart" + Environment.NewLine + system.Diagnostics());
        await ExactlyOnce.AssertAsync(system, ids, finals, output);
    }

    private async Task<List<(int Status, bool WellFormed)>> PollActivationAsync(Guid id, CancellationToken stop)
    {
        var answers = new List<(int, bool)>();
        using var client = new HttpClient { BaseAddress = system.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", system.OperatorKey);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync($"/api/v1/activations/{id}", CancellationToken.None);
                var wellFormed = response.Headers.RetryAfter is not null && response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                answers.Add(((int)response.StatusCode, wellFormed));
            }
            catch (HttpRequestException)
            {
                answers.Add((0, false)); // the gateway itself must stay up; a refused connection would fail below
            }

            await Task.Delay(50, CancellationToken.None); // pacing of the client, not synchronisation
        }

        Assert.DoesNotContain(answers, a => a.Item1 == 0);
        return answers;
    }
}

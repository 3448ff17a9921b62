using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// 50 activations in flight when the broker's application stops (<c>rabbitmqctl stop_app</c>) for 10 s: every
/// connection drops, unacknowledged messages return to their queues. During the outage the worker is not ready
/// (503) but alive, and the gateway still accepts 20 more activations (202: they wait in its bus outbox). After
/// <c>start_app</c> gateway and worker reconnect (MassTransit's back-off: up to ~40 s here), the worker is ready again,
/// and all 70 activations complete with each step applied exactly once. The step deadline (30 s, three attempts) is
/// longer than the reconnect, as the README asks of production settings.
/// Before every send was bounded (a publish that loses its broker confirm in the drop never completes with
/// RabbitMQ.Client 7.2) and MassTransit's wait for consumes in flight had a limit, this test stalled about one run in
/// sixteen: worker ready, the saga queue without a consumer, no deadline fired.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_rabbitmq_stops_for_ten_seconds(When_rabbitmq_stops_for_ten_seconds.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_rabbitmq_stops_for_ten_seconds.Fixture>
{
    private const int Activations = 50;
    private const int DuringOutage = 20;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    public sealed class Fixture : SplitSystem
    {
        protected override void ConfigureGateway(IDictionary<string, string> environment) =>
            environment["Gateway__ActivationWait"] = "00:00:00";

        protected override void ConfigureWorker(IDictionary<string, string> environment)
        {
            environment["Activation__StepTimeout"] = "00:00:30";

            // The open stall (see the Skip reason) left no trace at MassTransit's default Warning level.
            environment["Logging__LogLevel__MassTransit"] = "Debug";
        }
    }

    [Fact]
    public async Task Should_complete_every_activation_once_the_broker_is_back()
    {
        output.WriteLine($"database {system.Database.Name}, vhost {system.Vhost.Name}, process logs: {system.LogDirectory}");
        var clock = Stopwatch.StartNew();
        var ids = await ExactlyOnce.SubmitAsync(system, Activations, "Broker Outage Shop");

        // Stop once the worker is busy: some steps done, most activations still running.
        await Eventually.MatchAsync(
            () => ExactlyOnce.StepsDoneAsync(system.Database),
            done => done >= 30,
            TimeSpan.FromSeconds(60),
            "30 steps done before the outage",
            diagnostics: system.Diagnostics);

        TimeSpan stoppedAt, startedAt, answeringAt;
        long inFlight, stepsAtStop, stepsAtStart;
        try
        {
            await Servers.RabbitStopAppAsync();
            stoppedAt = clock.Elapsed;
            inFlight = await ExactlyOnce.InFlightAsync(system.Database, Activations);
            stepsAtStop = await ExactlyOnce.StepsDoneAsync(system.Database);
            output.WriteLine($"rabbitmqctl stop_app done at {stoppedAt.TotalSeconds:0.0} s; in flight: {inFlight} of {Activations}; steps done: {stepsAtStop} of {Activations * 11}");

            // Not ready while the bus is down, but alive: nothing should restart a worker for a short outage.
            await Eventually.MatchAsync(
                () => StatusAsync(system.Worker, "/health/ready"),
                status => status == 503,
                TimeSpan.FromSeconds(30),
                "the worker to report not ready while the broker is down",
                diagnostics: system.Diagnostics);
            Assert.Equal(200, await StatusAsync(system.Worker, "/health/live"));

            // The gateway keeps accepting: the commands wait in its bus outbox until the broker is back.
            var outageClock = Stopwatch.StartNew();
            ids.AddRange(await ExactlyOnce.SubmitAsync(system, DuringOutage, "Broker Outage Late Shop"));
            output.WriteLine($"{DuringOutage} more activations accepted during the outage in {outageClock.Elapsed.TotalSeconds:0.0} s");

            // The outage itself is the scenario: a bounded wait, not synchronisation.
            var rest = Outage - outageClock.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
            stepsAtStart = await ExactlyOnce.StepsDoneAsync(system.Database);
        }
        finally
        {
            await Servers.RabbitStartAppAsync();
            await Servers.WaitUntilRabbitAnswersAsync(TimeSpan.FromSeconds(90));
        }

        startedAt = clock.Elapsed;
        answeringAt = clock.Elapsed;
        output.WriteLine($"steps done during the outage: {stepsAtStart - stepsAtStop}; broker started and answering at {answeringAt.TotalSeconds:0.0} s ({(startedAt - stoppedAt).TotalSeconds:0.0} s after the stop)");
        Assert.True(inFlight > 0, "the outage hit no activation in flight");

        await Eventually.MatchAsync(
            () => StatusAsync(system.Worker, "/health/ready"),
            status => status == 200,
            TimeSpan.FromSeconds(120),
            "every receive endpoint of the worker to consume again (ready)",
            diagnostics: system.Diagnostics);
        output.WriteLine($"worker ready again at {clock.Elapsed.TotalSeconds:0.0} s ({(clock.Elapsed - answeringAt).TotalSeconds:0.0} s after the broker answered)");

        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(150), system.Diagnostics);
        output.WriteLine($"all completed after {clock.Elapsed.TotalSeconds:0.0} s ({(clock.Elapsed - answeringAt).TotalSeconds:0.0} s after the broker answered); gateway alive: {!system.Gateway.HasExited}, worker alive: {!system.Worker.HasExited}");
        await ExactlyOnce.AssertAsync(system, ids, finals, output);
    }

    private static async Task<int> StatusAsync(HostProcess host, string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(host.BaseAddress, path));
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }
}

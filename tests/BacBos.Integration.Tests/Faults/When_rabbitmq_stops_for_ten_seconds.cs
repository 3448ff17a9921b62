using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// 50 activations in flight when the broker's application stops (<c>rabbitmqctl stop_app</c>) for 10 s: every
/// connection drops, unacknowledged messages return to their queues. After <c>start_app</c> gateway and worker
/// reconnect and every activation completes with each step applied exactly once.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_rabbitmq_stops_for_ten_seconds(When_rabbitmq_stops_for_ten_seconds.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_rabbitmq_stops_for_ten_seconds.Fixture>
{
    private const int Activations = 50;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

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

    [Fact(Skip = "Known bug, open: after a broker restart one receive endpoint can stay without a consumer while the worker reports healthy (README Caveats). Re-enable when fixed.")]
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

            // The outage itself is the scenario: a bounded wait, not synchronisation.
            await Task.Delay(Outage);
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

        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(150), system.Diagnostics);
        output.WriteLine($"all completed after {clock.Elapsed.TotalSeconds:0.0} s ({(clock.Elapsed - answeringAt).TotalSeconds:0.0} s after the broker answered); gateway alive: {!system.Gateway.HasExited}, worker alive: {!system.Worker.HasExited}");
        await ExactlyOnce.AssertAsync(system, ids, finals, output);
    }
}

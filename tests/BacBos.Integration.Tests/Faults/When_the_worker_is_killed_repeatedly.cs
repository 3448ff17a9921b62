using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// 50 activations in flight; the worker is SIGKILLed three times at different moments (1 s after the submissions,
/// then each time the sagas have completed another batch of steps) and restarted. Every activation completes and
/// every step's side effect is applied exactly once.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_the_worker_is_killed_repeatedly(When_the_worker_is_killed_repeatedly.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_the_worker_is_killed_repeatedly.Fixture>
{
    private const int Activations = 50;
    private const int Kills = 3;

    /// <summary>Steps (across all activations) the restarted worker completes before the next kill: 550 in all.</summary>
    private const int StepsBetweenKills = 60;

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
    public async Task Should_complete_every_activation_applying_each_step_once()
    {
        output.WriteLine($"database {system.Database.Name}, process logs: {system.LogDirectory}");
        var clock = Stopwatch.StartNew();
        var ids = await ExactlyOnce.SubmitAsync(system, Activations, "Killed Again Shop");
        output.WriteLine($"submitted {Activations} activations in {clock.Elapsed.TotalSeconds:0.0} s");

        var killedInFlight = new List<long>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            if (kill == 1)
            {
                // The first kill lands 1 s into the run: a bounded delay is the scenario here, not synchronisation.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            else
            {
                var target = await ExactlyOnce.StepsDoneAsync(system.Database) + StepsBetweenKills;
                await Eventually.MatchAsync(
                    () => ExactlyOnce.StepsDoneAsync(system.Database),
                    done => done >= target,
                    TimeSpan.FromSeconds(90),
                    $"{target} steps done before kill {kill}",
                    diagnostics: system.Diagnostics);
            }

            var pid = system.Worker.ProcessId;
            system.KillWorker();
            var at = clock.Elapsed;
            var inFlight = await ExactlyOnce.InFlightAsync(system.Database, Activations);
            var steps = await ExactlyOnce.StepsDoneAsync(system.Database);
            killedInFlight.Add(inFlight);
            output.WriteLine($"kill {kill}: worker pid {pid} at {at.TotalSeconds:0.0} s; in flight: {inFlight} of {Activations}; steps done: {steps} of {Activations * 11}");
            Assert.True(inFlight > 0, $"kill {kill} hit no activation in flight");

            var worker = await system.StartAnotherWorkerAsync();
            output.WriteLine($"restart {kill}: worker pid {worker.ProcessId} ready at {clock.Elapsed.TotalSeconds:0.0} s");
        }

        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(150), system.Diagnostics);
        output.WriteLine($"in flight at the kills: {string.Join(" / ", killedInFlight)}; all completed after {clock.Elapsed.TotalSeconds:0.0} s");
        await ExactlyOnce.AssertAsync(system, ids, finals, output);
    }
}

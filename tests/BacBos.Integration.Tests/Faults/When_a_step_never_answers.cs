using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// Step 9's driver never answers its first call (the consumer hangs, nothing is replied). The saga armed a deadline
/// for that attempt with <c>Schedule(...)</c> when it dispatched the command; the Quartz scheduler (on PostgreSQL)
/// sends the deadline after 3 s, the saga retries the step, and the second attempt completes. Every other dispatch's
/// deadline is cancelled when its step answers, so nothing is left in the job store afterwards.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_a_step_never_answers(When_a_step_never_answers.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_a_step_never_answers.Fixture>
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(3);

    public sealed class Fixture : FaultInjectedSystem
    {
        protected override int DnsFailures => 0;

        protected override int DnsHangs => 1;

        protected override string RetryIntervalsMs => "10";

        protected override string RedeliveryIntervalsMs => "1000";

        protected override void ConfigureWorker(IDictionary<string, string> environment)
        {
            base.ConfigureWorker(environment);
            environment["Activation__StepTimeout"] = StepTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public async Task Should_retry_the_step_when_its_scheduled_deadline_fires()
    {
        output.WriteLine($"database {system.Database.Name}, process logs: {system.LogDirectory}, driver calls: {system.CallLog}");
        var clock = Stopwatch.StartNew();
        var ids = await ExactlyOnce.SubmitAsync(system, 1, "Silent Dns Shop");
        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(60), system.Diagnostics);
        var pendingAtCompletion = await system.Database.CountAsync("SELECT COUNT(*) FROM qrtz_triggers");
        var calls = system.Calls();
        var step = finals[ids[0]].GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("number").GetInt32() == 9);
        var retryAfter = calls.Count >= 2 ? calls[1].At - calls[0].At : TimeSpan.Zero;
        output.WriteLine($"completed after {clock.Elapsed.TotalSeconds:0.0} s; driver calls: {calls.Count}, second call {retryAfter.TotalSeconds:0.0} s after the first");
        output.WriteLine($"deadlines still armed when the activation reported completed: {pendingAtCompletion}");
        output.WriteLine($"step 9: status {step.GetProperty("status").GetString()}, attempts {step.GetProperty("attempts").GetInt32()}");

        Assert.Equal(2, calls.Count);
        Assert.Equal(2, step.GetProperty("attempts").GetInt32());
        Assert.Equal("skipped", step.GetProperty("status").GetString());
        Assert.True(retryAfter >= StepTimeout - TimeSpan.FromMilliseconds(200), $"the step was retried after {retryAfter.TotalSeconds:0.0} s, before its {StepTimeout.TotalSeconds} s deadline");

        // Each of the 11 dispatches armed a deadline; the hung one fired, the others were cancelled when their step
        // answered (and the last one when the activation completed, which may still be on its way). Without the
        // cancellation, the deadlines of steps 10 and 11 (dispatched well under 3 s ago) would still be pending here.
        Assert.True(pendingAtCompletion <= 1, $"{pendingAtCompletion} step deadlines were still armed when the activation completed");
        await Eventually.MatchAsync(
            () => system.Database.CountAsync("SELECT COUNT(*) FROM qrtz_triggers"),
            n => n == 0,
            TimeSpan.FromSeconds(30),
            "every step deadline to be cancelled or fired",
            diagnostics: system.Diagnostics);
        await ExactlyOnce.AssertAsync(system, ids, finals, output);
    }
}

using System.Diagnostics;
using BacBos.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Faults;

/// <summary>
/// Step 9's driver throws a plain exception on its first two calls, then succeeds. After one immediate retry,
/// the endpoint's scheduled redelivery (Quartz, after 1 s) brings the same step command back: the driver is
/// called exactly three times, the activation completes, and the saga sees one attempt (redelivery is below it).
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public sealed class When_a_step_fails_transiently_twice(When_a_step_fails_transiently_twice.Fixture system, ITestOutputHelper output)
    : IClassFixture<When_a_step_fails_transiently_twice.Fixture>
{
    public sealed class Fixture : FaultInjectedSystem
    {
        protected override int DnsFailures => 2;

        // "none" (no immediate retry) crashes the worker at bus creation (MassTransit needs one interval): one 10 ms retry.
        protected override string RetryIntervalsMs => "10";

        protected override string RedeliveryIntervalsMs => "1000,2000";
    }

    [Fact]
    public async Task Should_recover_through_scheduled_redelivery()
    {
        output.WriteLine($"database {system.Database.Name}, process logs: {system.LogDirectory}, driver calls: {system.CallLog}");
        var clock = Stopwatch.StartNew();
        var ids = await ExactlyOnce.SubmitAsync(system, 1, "Flaky Dns Shop");
        var finals = await ActivationApi.WaitAllCompletedAsync(system.Http, ids, TimeSpan.FromSeconds(60), system.Diagnostics);
        var calls = system.Calls();
        var delays = calls.Zip(calls.Skip(1), (a, b) => b.At - a.At).ToList();
        var step = finals[ids[0]].GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("number").GetInt32() == 9);
        output.WriteLine($"completed after {clock.Elapsed.TotalSeconds:0.0} s; driver calls: {calls.Count} ({string.Join(", ", calls.Select(c => c.Failed ? "failed" : "passed"))})");
        output.WriteLine($"delays between calls: {string.Join(", ", delays.Select(d => $"{d.TotalMilliseconds:0} ms"))} (one immediate retry after 10 ms, then redelivery after 1000 ms)");
        output.WriteLine($"step 9 {step.GetProperty("step").GetString()}: status {step.GetProperty("status").GetString()}, attempts {step.GetProperty("attempts").GetInt32()}");

        Assert.Equal(3, calls.Count);
        Assert.Equal([true, true, false], calls.Select(c => c.Failed));
        Assert.Equal(1, step.GetProperty("attempts").GetInt32());
        Assert.Equal("skipped", step.GetProperty("status").GetString()); // the real (not configured) driver answered the third call
        Assert.True(delays[0] < TimeSpan.FromMilliseconds(900), $"the immediate retry came after {delays[0].TotalMilliseconds:0} ms");
        Assert.True(delays[1] >= TimeSpan.FromMilliseconds(900), $"redelivery after {delays[1].TotalMilliseconds:0} ms: not the scheduler's 1 s");
        await ExactlyOnce.AssertAsync(system, ids, finals, output);
    }
}

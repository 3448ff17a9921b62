namespace BacBos.Benchmarks.Tests;

/// <summary>
/// A fast but broken run must fail: the raw PostgreSQL baseline is told to count one update it never sends
/// (<c>--fault skip-one-update</c>), and the run must report that row as failed and exit non-zero. The webhook scenario
/// runs beside it on the in-process load generator (the fallback when wrk is missing), whose checks are exact.
/// </summary>
[Collection(BenchmarkCollection.Name)]
public sealed class When_a_scenario_fails_its_check
{
    [Fact]
    public async Task Should_mark_that_row_failed_and_exit_non_zero()
    {
        var outcome = await BenchmarkRunner.RunAsync(
            TimeSpan.FromMinutes(3),
            "run", "--smoke", "--only", "saga,webhook", "--load-generator", "inprocess", "--fault", "skip-one-update");

        Assert.True(outcome.ExitCode == 1, $"expected exit 1, got {outcome.ExitCode}:{Environment.NewLine}{outcome.Output}");
        var broken = outcome.Row("saga.postgres");
        Assert.Equal("Failed", BenchmarkRunner.Outcome.Status(broken));
        Assert.Contains("committed updates (sum of counters): expected", broken.GetProperty("check").GetString(), StringComparison.Ordinal);

        foreach (var id in new[] { "saga.transitions", "saga.rabbitmq", "webhook.ingest", "webhook.bare" })
        {
            var row = outcome.Row(id);
            Assert.True(BenchmarkRunner.Outcome.Status(row) == "Ok", $"{id}: {row.GetProperty("check")}");
        }

        Assert.Contains("responses = requests", outcome.Row("webhook.ingest").GetProperty("check").GetString(), StringComparison.Ordinal);
        Assert.Contains("FAILED saga.postgres", outcome.Output, StringComparison.Ordinal);
    }
}

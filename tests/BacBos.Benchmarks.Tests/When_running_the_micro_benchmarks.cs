using System.Text.RegularExpressions;

namespace BacBos.Benchmarks.Tests;

/// <summary>The BenchmarkDotNet part of the harness, with a one-iteration job: every benchmark runs and is reported.</summary>
[Collection(BenchmarkCollection.Name)]
public sealed class When_running_the_micro_benchmarks
{
    private static readonly string[] Benchmarks =
    [
        "ValidateActivationInput", "NormalizeActivationInput", "ParseAndMatchApiKey",
        "SerializeActivationState", "DeserializeActivationState", "VerifyStripeSignature",
    ];

    private static readonly Regex Measured = new(@"\d (ns|μs|us|ms|s) \|.*\d (B|KB|MB) \|\s*$", RegexOptions.CultureInvariant);

    [Fact]
    public async Task Should_run_every_benchmark_and_write_the_report()
    {
        var report = Path.Combine(Path.GetTempPath(), "bacbos-bench-tests", Guid.NewGuid().ToString("N") + ".md");
        try
        {
            var (exitCode, output) = await BenchmarkRunner.ExecuteAsync(TimeSpan.FromMinutes(3), "micro", "--dry", "--out", report);

            Assert.True(exitCode == 0, $"micro exited {exitCode}:{Environment.NewLine}{output}");
            var rows = File.ReadAllLines(report).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
            foreach (var benchmark in Benchmarks)
            {
                // Mean and allocated bytes (B or KB, whatever BenchmarkDotNet picks) were measured.
                Assert.Contains(rows, r => r.StartsWith($"| {benchmark} ", StringComparison.Ordinal) && Measured.IsMatch(r));
            }
        }
        finally
        {
            File.Delete(report);
        }
    }
}

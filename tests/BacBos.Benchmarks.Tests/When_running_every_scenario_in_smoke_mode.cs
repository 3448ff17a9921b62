using System.Text.Json;

namespace BacBos.Benchmarks.Tests;

/// <summary>
/// The harness must not rot: the same runner as <c>scripts/bench.sh</c>, every scenario with tiny counts, against the
/// real servers. Each row checks its own correctness (completed = sent, zero errors) inside the runner.
/// </summary>
[Collection(BenchmarkCollection.Name)]
public sealed class When_running_every_scenario_in_smoke_mode
{
    /// <summary>Every row of a smoke run (its activation scenarios run 1 and 3 at once).</summary>
    private static readonly string[] ExpectedRows =
    [
        "saga.transitions", "saga.rabbitmq", "saga.postgres",
        "activation.c1", "activation.c3", "activation.c1.direct", "activation.c3.direct",
        "gateway.accept", "gateway.bare202", "gateway.yarp", "gateway.nginx", "gateway.backend",
        "webhook.ingest", "webhook.bare",
        "embedded.c1", "embedded.c3", "embedded.c1.direct", "embedded.c3.direct",
        "documents.engine", "documents.yjs",
        "export.html", "export.docx", "export.pdf", "export.pandoc-html", "export.pandoc-docx", "export.libreoffice-pdf",
    ];

    /// <summary>Peers the test machine may lack (scripts/bench.sh installs them, the test script does not): skipped with the reason.</summary>
    private static readonly string[] Optional = ["gateway.nginx", "documents.yjs", "export.pandoc-html", "export.pandoc-docx", "export.libreoffice-pdf"];

    [Fact]
    public async Task Should_produce_every_row_with_passing_checks_and_ratios()
    {
        var outcome = await BenchmarkRunner.RunAsync(TimeSpan.FromMinutes(5), "run", "--smoke");

        Assert.True(outcome.ExitCode == 0, $"The smoke run failed (exit {outcome.ExitCode}):{Environment.NewLine}{outcome.Output}");
        Assert.Equal("smoke", outcome.Report.GetProperty("mode").GetString());
        Assert.Equal(ExpectedRows.Order(), outcome.Rows.Select(r => r.GetProperty("id").GetString()!).Order());

        foreach (var id in ExpectedRows)
        {
            var row = outcome.Row(id);
            var status = BenchmarkRunner.Outcome.Status(row);
            if (Optional.Contains(id) && status == "Skipped")
            {
                Assert.Matches("^skipped: (nginx|yjs|pandoc|LibreOffice) not installed", row.GetProperty("check").GetString());
                continue;
            }

            Assert.True(status == "Ok", $"{id}: {status} — {row.GetProperty("check")}");
            Assert.StartsWith("ok: ", row.GetProperty("check").GetString(), StringComparison.Ordinal);
            Assert.True(row.GetProperty("throughput").GetDouble() > 0, $"{id} has no throughput");
            Assert.True(row.GetProperty("count").GetInt64() > 0, $"{id} counted nothing");
            var latency = row.GetProperty("latency");
            Assert.True(latency.GetProperty("p50").GetDouble() > 0 && latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble(), $"{id}: p50/p99 {latency}");
            Assert.NotEmpty(row.GetProperty("processes").EnumerateArray());
            Assert.All(row.GetProperty("processes").EnumerateArray(), p => Assert.True(p.GetProperty("peak_rss_mi_b").GetDouble() > 1, $"{id}: {p}"));

            var baselines = row.GetProperty("baseline_ids").EnumerateArray().Select(b => b.GetString()!).ToList();
            var ratios = row.GetProperty("ratios").EnumerateArray().Select(r => r.GetProperty("baseline_id").GetString()!).ToList();
            var available = baselines.Where(b => BenchmarkRunner.Outcome.Status(outcome.Row(b)) == "Ok").ToList();
            Assert.Equal(available, ratios);
        }

        var machine = outcome.Report.GetProperty("machine");
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
        Assert.Contains("PostgreSQL", machine.GetProperty("postgre_sql").GetString(), StringComparison.Ordinal);
        Assert.Contains("| scenario", outcome.Output, StringComparison.Ordinal);
    }
}

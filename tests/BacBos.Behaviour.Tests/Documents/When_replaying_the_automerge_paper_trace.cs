using System.Diagnostics;
using BacBos.Consumers.Documents.Collaboration;
using Xunit.Abstractions;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>
/// The automerge-paper trace (259,778 keystrokes writing a LaTeX paper) sent through the server one transaction at a
/// time by one client, each based on the revision before it.
/// </summary>
public class When_replaying_the_automerge_paper_trace(ITestOutputHelper output)
{
    [Fact]
    public void Should_end_with_exactly_the_recorded_text()
    {
        var trace = EditingTrace.Load("automerge-paper.json.gz");
        var document = new CollaborativeDocument(trace.StartContent);

        var clock = Stopwatch.StartNew();
        foreach (var transaction in trace.Transactions)
        {
            document.Apply("author", document.Revision, transaction.Patches);
        }

        clock.Stop();

        Assert.Equal(trace.Transactions.Length, document.Revision);
        Assert.Equal(trace.EndContent.Length, document.Length);
        Assert.Equal(trace.EndContent, document.GetContent());
        output.WriteLine(
            $"automerge-paper: {trace.Transactions.Length:N0} transactions replayed in {clock.Elapsed.TotalMilliseconds:N0} ms " +
            $"({clock.Elapsed.TotalMicroseconds / trace.Transactions.Length:N2} µs each), final text {document.Length:N0} code points");
    }
}

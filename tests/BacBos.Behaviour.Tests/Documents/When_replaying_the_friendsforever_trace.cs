using System.Diagnostics;
using BacBos.Consumers.Documents.Collaboration;
using Xunit.Abstractions;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>
/// The friendsforever trace: two people typing into one document at once, each keystroke a transaction typed on the
/// merged state of its <c>parents</c>. Each agent is a pipelined <see cref="CollaborativeClient"/>; the server
/// receives the transactions in trace order (transaction i gets revision i + 1), and before each keystroke its
/// agent's client has received exactly the server messages that make its text the parents' state:
/// <list type="bullet">
/// <item>the transaction's history is all of its own agent's earlier keystrokes (checked) plus the first k keystrokes
/// of every other agent, where k is read off the parents as a version vector;</item>
/// <item>the client has received every revision up to r = (the revision of the first keystroke of another agent it
/// has not seen) − 1, or the head when it has seen all of them; checked: every keystroke it has seen is at or below
/// r, and r never goes back;</item>
/// <item>its own keystrokes after r are still in flight (sent, unacknowledged), which is how it has typed on them
/// without the server order containing its history as a prefix.</item>
/// </list>
/// The client sends the keystroke based on r; the server rebases it past the other agent's concurrent keystrokes.
/// </summary>
public class When_replaying_the_friendsforever_trace(ITestOutputHelper output)
{
    [Fact]
    public void Should_end_with_exactly_the_recorded_text_on_the_server_and_every_client()
    {
        var trace = EditingTrace.Load("friendsforever.json.gz");
        var history = VersionVectors(trace);
        var server = new CollaborativeDocument();
        var clients = Enumerable.Range(0, trace.Agents)
            .Select(agent => new CollaborativeClient($"agent-{agent}", server.TakeSnapshot(), pipeline: true))
            .ToArray();
        var log = new List<AppliedOperation>();
        var revisionsByAgent = Enumerable.Range(0, trace.Agents).Select(_ => new List<long>()).ToArray();
        int exactPrefix = 0, concurrent = 0, maxInFlight = 0;
        long maxBehind = 0;

        var serverTime = new Stopwatch();
        var clock = Stopwatch.StartNew();
        for (var index = 0; index < trace.Transactions.Length; index++)
        {
            var transaction = trace.Transactions[index];
            var client = clients[transaction.Agent];
            var baseRevision = BaseRevision(index, transaction.Agent, history[index], revisionsByAgent, log.Count);
            Assert.True(baseRevision >= client.Revision, $"txn {index}: agent {transaction.Agent} would have to go back from revision {client.Revision} to {baseRevision}");
            while (client.Revision < baseRevision)
            {
                client.Receive(log[(int)client.Revision]);
            }

            exactPrefix += client.InFlightCount == 0 ? 1 : 0;
            concurrent += baseRevision < log.Count ? 1 : 0;
            maxInFlight = Math.Max(maxInFlight, client.InFlightCount);
            maxBehind = Math.Max(maxBehind, log.Count - baseRevision);

            client.Edit(transaction.Patches);
            var outgoing = client.TakeOutgoing()!;
            serverTime.Start();
            var applied = server.Apply(client.ClientId, outgoing.BaseRevision, outgoing.Operation);
            serverTime.Stop();

            Assert.Equal(index + 1, applied.Revision);
            log.Add(applied);
            revisionsByAgent[transaction.Agent].Add(applied.Revision);
        }

        clock.Stop();

        Assert.Equal(trace.EndContent, server.GetContent());
        foreach (var client in clients)
        {
            while (client.Revision < log.Count)
            {
                client.Receive(log[(int)client.Revision]);
            }

            Assert.Equal(0, client.InFlightCount);
            Assert.Equal(trace.EndContent, client.Content);
        }

        output.WriteLine(
            $"friendsforever: {trace.Transactions.Length:N0} transactions from {trace.Agents} agents replayed in {clock.Elapsed.TotalMilliseconds:N0} ms " +
            $"({serverTime.Elapsed.TotalMilliseconds:N0} ms of it in the server's merge, the rest in the two clients); " +
            $"{exactPrefix:N0} typed on exactly a server revision, {trace.Transactions.Length - exactPrefix:N0} on a revision plus own in-flight keystrokes " +
            $"(at most {maxInFlight}); {concurrent:N0} transformed past concurrent keystrokes (at most {maxBehind} revisions behind the head)");
    }

    /// <summary>
    /// For each transaction, how many keystrokes of each agent its parents' merged state contains. An agent's
    /// keystrokes are totally ordered, so the history of a set of parents is, per agent, a prefix of its keystrokes.
    /// </summary>
    private static int[][] VersionVectors(EditingTrace trace)
    {
        var before = new int[trace.Transactions.Length][];
        var after = new int[trace.Transactions.Length][];
        var typed = new int[trace.Agents];
        for (var index = 0; index < trace.Transactions.Length; index++)
        {
            var transaction = trace.Transactions[index];
            var seen = new int[trace.Agents];
            foreach (var parent in transaction.Parents)
            {
                Assert.True(parent < index, $"txn {index}: parent {parent} is not an earlier transaction");
                for (var agent = 0; agent < trace.Agents; agent++)
                {
                    seen[agent] = Math.Max(seen[agent], after[parent][agent]);
                }
            }

            Assert.True(seen[transaction.Agent] == typed[transaction.Agent], $"txn {index}: agent {transaction.Agent} typed it without seeing all of its own earlier keystrokes");
            typed[transaction.Agent]++;
            before[index] = seen;
            after[index] = (int[])seen.Clone();
            after[index][transaction.Agent]++;
        }

        return before;
    }

    /// <summary>The last server revision the agent has received when it types transaction <paramref name="index"/>.</summary>
    private static long BaseRevision(int index, int agent, int[] seen, List<long>[] revisionsByAgent, long head)
    {
        var revision = head;
        for (var other = 0; other < seen.Length; other++)
        {
            if (other != agent && seen[other] < revisionsByAgent[other].Count)
            {
                revision = Math.Min(revision, revisionsByAgent[other][seen[other]] - 1);
            }
        }

        for (var other = 0; other < seen.Length; other++)
        {
            Assert.True(
                other == agent || seen[other] == 0 || revisionsByAgent[other][seen[other] - 1] <= revision,
                $"txn {index}: agent {agent}'s history is not a prefix of the server order, so no base revision describes it");
        }

        return revision;
    }
}

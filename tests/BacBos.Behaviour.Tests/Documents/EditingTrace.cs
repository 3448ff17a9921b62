using System.IO.Compression;
using System.Text.Json;
using BacBos.Consumers.Documents.Collaboration;

namespace BacBos.Behaviour.Tests.Documents;

/// <summary>One transaction of an editing trace: who typed it, on which earlier transactions, and its patches.</summary>
internal sealed record TraceTransaction(int Agent, int[] Parents, TextEdit[] Patches);

/// <summary>
/// An editing trace from tests/data/editing-traces (copied next to the test assembly): the sequential format
/// (<c>startContent</c>, <c>endContent</c>, <c>txns[].patches</c>) or the concurrent one (<c>agent</c> and
/// <c>parents</c> per transaction, starting from the empty text).
/// </summary>
internal sealed record EditingTrace(string StartContent, string EndContent, int Agents, TraceTransaction[] Transactions)
{
    public static EditingTrace Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "editing-traces", fileName);
        using var file = File.OpenRead(path);
        using var unzipped = new GZipStream(file, CompressionMode.Decompress);
        using var json = JsonDocument.Parse(unzipped);
        var root = json.RootElement;
        var transactions = root.GetProperty("txns").EnumerateArray().Select(txn => new TraceTransaction(
            txn.TryGetProperty("agent", out var agent) ? agent.GetInt32() : 0,
            txn.TryGetProperty("parents", out var parents) ? [.. parents.EnumerateArray().Select(p => p.GetInt32())] : [],
            [.. txn.GetProperty("patches").EnumerateArray().Select(Patch)])).ToArray();
        return new EditingTrace(
            root.TryGetProperty("startContent", out var start) ? start.GetString()! : "",
            root.GetProperty("endContent").GetString()!,
            root.TryGetProperty("numAgents", out var agents) ? agents.GetInt32() : 1,
            transactions);
    }

    private static TextEdit Patch(JsonElement patch) =>
        new(patch[0].GetInt32(), patch[1].GetInt32(), patch[2].GetString()!);
}

using System.Text.Json.Nodes;

namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// The parts of an Application's <c>status</c> step 6 waits on. Ready means Healthy and Synced with no sync operation
/// still running (right after a sync request the old "Synced" can linger until the operation starts).
/// </summary>
public sealed record ArgoCdApplicationState(string Name, string Health, string Sync, string? OperationPhase, string? Message)
{
    public bool IsReady => Health == "Healthy" && Sync == "Synced" && OperationPhase is null or "Succeeded";

    public string Describe() => $"{Health}/{Sync}";

    public static ArgoCdApplicationState From(string name, JsonObject? application)
    {
        var status = application?["status"];
        var phase = status?["operationState"]?["phase"]?.GetValue<string>();

        // The health message explains a rollout that is not ready; a sync operation's message only matters until it succeeded.
        var message = status?["health"]?["message"]?.GetValue<string>()
            ?? (phase is null or "Succeeded" ? null : status?["operationState"]?["message"]?.GetValue<string>());
        return new ArgoCdApplicationState(
            name,
            status?["health"]?["status"]?.GetValue<string>() ?? "Unknown",
            status?["sync"]?["status"]?.GetValue<string>() ?? "Unknown",
            phase,
            message);
    }

    /// <summary>
    /// True when every value <paramref name="desired"/> sets is present and equal in <paramref name="actual"/>: the server
    /// may add defaults and status, but anything we set that differs means the Application must be updated.
    /// </summary>
    public static bool Covers(JsonNode? actual, JsonNode? desired) =>
        (actual, desired) switch
        {
            (_, null) => true,
            (JsonObject a, JsonObject d) => d.All(p => Covers(a[p.Key], p.Value)),
            (JsonArray a, JsonArray d) => a.Count == d.Count && a.Zip(d).All(x => Covers(x.First, x.Second)),
            (JsonValue a, JsonValue d) => JsonNode.DeepEquals(a, d),
            _ => false,
        };
}

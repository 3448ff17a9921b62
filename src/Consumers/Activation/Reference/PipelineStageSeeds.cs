namespace BacBos.Consumers.Activation.Reference;

/// <summary>The default CRM pipeline (seed §2.4): prospect → qualification → proposal → negotiation → closed.</summary>
public static class PipelineStageSeeds
{
    /// <summary>The default stages, ordered by position.</summary>
    public static IReadOnlyList<PipelineStageSeed> Default { get; } = Array.AsReadOnly<PipelineStageSeed>(
    [
        new("prospect", "Prospect", 1, 10m, false, false),
        new("qualification", "Qualification", 2, 25m, false, false),
        new("proposal", "Proposal", 3, 50m, false, false),
        new("negotiation", "Negotiation", 4, 75m, false, false),
        new("closed-won", "Closed won", 5, 100m, true, true),
        new("closed-lost", "Closed lost", 6, 0m, true, false),
    ]);
}

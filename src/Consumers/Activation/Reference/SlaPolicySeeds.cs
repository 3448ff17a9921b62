namespace BacBos.Consumers.Activation.Reference;

/// <summary>The default support SLA policies seeded for every tenant (seed §1.2 step 8).</summary>
public static class SlaPolicySeeds
{
    /// <summary>The default policies, from most to least urgent.</summary>
    public static IReadOnlyList<SlaPolicySeed> Default { get; } = Array.AsReadOnly<SlaPolicySeed>(
    [
        new("urgent", 15, 4 * 60, false),
        new("high", 60, 8 * 60, true),
        new("normal", 4 * 60, 24 * 60, true),
        new("low", 8 * 60, 72 * 60, true),
    ]);
}

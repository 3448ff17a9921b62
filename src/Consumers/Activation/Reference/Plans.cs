using System.Collections.Frozen;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>The subscription plans; <see cref="Default"/> applies when the input names none.</summary>
public static class Plans
{
    /// <summary>The plan used when the activation input names none.</summary>
    public const string Default = "starter";

    private static readonly FrozenSet<string> KnownSet = FrozenSet.Create(StringComparer.Ordinal, "starter", "growth", "enterprise");

    /// <summary>Every accepted value, canonical lower-case, in catalogue order.</summary>
    public static IReadOnlyList<string> Known { get; } = Array.AsReadOnly<string>(["starter", "growth", "enterprise"]);

    /// <summary>True when <paramref name="value"/> is exactly one of <see cref="Known"/> (already trimmed and lower-cased).</summary>
    public static bool IsKnown(string? value) => value is not null && KnownSet.Contains(value);
}

using System.Collections.Frozen;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>The LLM providers the AI copilot can route to; <c>none</c> disables external model calls.</summary>
public static class ModelProviders
{
    private static readonly FrozenSet<string> KnownSet = FrozenSet.Create(StringComparer.Ordinal, "openai", "anthropic", "google", "azure_openai", "mistral", "ollama", "none");

    /// <summary>Every accepted value, canonical lower-case, in catalogue order.</summary>
    public static IReadOnlyList<string> Known { get; } = Array.AsReadOnly<string>(["openai", "anthropic", "google", "azure_openai", "mistral", "ollama", "none"]);

    /// <summary>True when <paramref name="value"/> is exactly one of <see cref="Known"/> (already trimmed and lower-cased).</summary>
    public static bool IsKnown(string? value) => value is not null && KnownSet.Contains(value);
}

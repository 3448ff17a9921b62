using System.Collections.Frozen;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>The customer messaging channels a tenant can connect.</summary>
public static class Channels
{
    private static readonly FrozenSet<string> KnownSet = FrozenSet.Create(StringComparer.Ordinal, "whatsapp", "sms", "email", "instagram", "facebook_messenger", "telegram", "web_chat", "voice");

    /// <summary>Every accepted value, canonical lower-case, in catalogue order.</summary>
    public static IReadOnlyList<string> Known { get; } = Array.AsReadOnly<string>(["whatsapp", "sms", "email", "instagram", "facebook_messenger", "telegram", "web_chat", "voice"]);

    /// <summary>True when <paramref name="value"/> is exactly one of <see cref="Known"/> (already trimmed and lower-cased).</summary>
    public static bool IsKnown(string? value) => value is not null && KnownSet.Contains(value);
}

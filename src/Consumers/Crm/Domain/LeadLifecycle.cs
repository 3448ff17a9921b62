using System.Collections.Frozen;

namespace BacBos.Consumers.Crm.Domain;

/// <summary>The states of a lead (seed §2): <c>new</c> → <c>contacted</c> → <c>qualified</c> → <c>converted</c>; <c>disqualified</c>.</summary>
public static class LeadStatus
{
    public const string New = "new";
    public const string Contacted = "contacted";
    public const string Qualified = "qualified";
    public const string Converted = "converted";
    public const string Disqualified = "disqualified";

    public static IReadOnlyList<string> All { get; } = [New, Contacted, Qualified, Converted, Disqualified];
}

/// <summary>
/// The lead state machine as a pure function. A lead moves one step forward at a time (new → contacted → qualified →
/// converted) and can be disqualified from any open state; converted and disqualified are terminal (a disqualified
/// lead that comes back is a new lead). Conversion creates a contact and an opportunity, so it is its own operation,
/// never a plain status change.
/// </summary>
public static class LeadLifecycle
{
    private static readonly FrozenDictionary<string, string[]> Next = new Dictionary<string, string[]>
    {
        [LeadStatus.New] = [LeadStatus.Contacted, LeadStatus.Disqualified],
        [LeadStatus.Contacted] = [LeadStatus.Qualified, LeadStatus.Disqualified],
        [LeadStatus.Qualified] = [LeadStatus.Converted, LeadStatus.Disqualified],
        [LeadStatus.Converted] = [],
        [LeadStatus.Disqualified] = [],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsKnown(string? status) => status is not null && Next.ContainsKey(status);

    /// <summary>Every state reachable from <paramref name="current"/> in one transition.</summary>
    public static IReadOnlyList<string> AllowedFrom(string current) =>
        Next.TryGetValue(current, out var next) ? next : throw new ArgumentOutOfRangeException(nameof(current), current, "unknown lead status");

    public static bool IsTerminal(string current) => AllowedFrom(current).Count == 0;

    /// <summary>What asking to move from <paramref name="current"/> to <paramref name="target"/> means.</summary>
    public static Transition Decide(string current, string target)
    {
        if (!IsKnown(target))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "unknown lead status");
        }

        if (current == target)
        {
            return Transition.NoChange;
        }

        return AllowedFrom(current).Contains(target) ? Transition.Allowed : Transition.Illegal;
    }
}

/// <summary>The answer of a lifecycle to a requested move.</summary>
public enum Transition
{
    /// <summary>The move is legal.</summary>
    Allowed,

    /// <summary>Already there: nothing changes and nothing is published (a retried request is harmless).</summary>
    NoChange,

    /// <summary>Not a legal move from the current state.</summary>
    Illegal,
}

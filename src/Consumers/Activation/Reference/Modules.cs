using System.Collections.Frozen;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>The catalogue of platform module names (lower-case snake_case) a tenant can enable.</summary>
public static class Modules
{
    /// <summary>Online shop front.</summary>
    public const string Storefront = "storefront";

    /// <summary>AI copilot.</summary>
    public const string AiCopilot = "ai_copilot";

    /// <summary>Customer relationship management.</summary>
    public const string Crm = "crm";

    private static readonly string[] Names =
    [
        "storefront", "cart", "checkout", "catalog", "inventory", "orders",
        "crm", "finance", "invoicing", "payments",
        "appointments", "patient_records", "telehealth",
        "fleet", "shipments", "route_planning", "warehouse",
        "pos", "reservations", "menu",
        "courses", "student_records",
        "projects", "timesheets",
        "production_planning", "quality", "procurement",
        "hr", "support", "marketing", "analytics", "documents", "ai_copilot",
        "donations", "volunteers", "grants", "memberships", "events",
        "properties", "listings", "leases", "maintenance",
    ];

    private static readonly FrozenSet<string> NameSet = Names.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every module name, sorted ordinally.</summary>
    public static IReadOnlyList<string> Known { get; } =
        Array.AsReadOnly(Names.Order(StringComparer.Ordinal).ToArray());

    /// <summary>
    /// True when <paramref name="name"/> is a module of the catalogue. Exact match: names are canonical lower-case;
    /// callers that accept user input lower-case and trim it first.
    /// </summary>
    public static bool IsKnown(string? name) => name is not null && NameSet.Contains(name);
}

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace BacBos.Consumers.Activation.Reference;

/// <summary>
/// Industry presets (seed §1.2 step 3): the default module list per industry. Every preset includes the core
/// modules crm, finance, invoicing, documents, analytics and support.
/// </summary>
public static class IndustryPresets
{
    private static readonly string[] Core = ["crm", "finance", "invoicing", "documents", "analytics", "support"];

    private static readonly IndustryPreset[] Presets =
    [
        Create("ecommerce", "E-commerce",
            "storefront", "cart", "checkout", "catalog", "inventory", "orders", "payments", "shipments", "marketing", "ai_copilot"),
        Create("healthcare", "Healthcare",
            "appointments", "patient_records", "telehealth", "payments", "hr", "ai_copilot"),
        Create("logistics", "Logistics",
            "fleet", "shipments", "route_planning", "warehouse", "inventory", "orders", "payments", "hr", "ai_copilot"),
        Create("retail", "Retail",
            "pos", "catalog", "inventory", "orders", "payments", "procurement", "marketing", "hr", "ai_copilot"),
        Create("hospitality", "Hospitality",
            "reservations", "menu", "pos", "inventory", "payments", "procurement", "hr", "marketing", "ai_copilot"),
        Create("professional_services", "Professional services",
            "projects", "timesheets", "appointments", "payments", "hr", "marketing", "ai_copilot"),
        Create("education", "Education",
            "courses", "student_records", "appointments", "payments", "hr", "marketing", "ai_copilot"),
        Create("manufacturing", "Manufacturing",
            "production_planning", "quality", "procurement", "inventory", "warehouse", "orders", "payments", "hr", "ai_copilot"),
        Create("nonprofit", "Non-profit",
            "donations", "volunteers", "grants", "memberships", "events", "payments", "marketing", "projects", "ai_copilot"),
        Create("real_estate", "Real estate",
            "properties", "listings", "leases", "maintenance", "appointments", "payments", "marketing", "ai_copilot"),
    ];

    private static readonly FrozenDictionary<string, IndustryPreset> ByIndustry =
        Presets.ToFrozenDictionary(p => p.Industry, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every preset, in catalogue order.</summary>
    public static IReadOnlyList<IndustryPreset> All { get; } = Array.AsReadOnly(Presets);

    /// <summary>The industry keys, in catalogue order (for error messages and documentation).</summary>
    public static IReadOnlyList<string> Industries { get; } = Array.AsReadOnly(Presets.Select(p => p.Industry).ToArray());

    /// <summary>Looks up a preset by industry key, ignoring case and surrounding whitespace.</summary>
    public static bool TryGet(string? industry, [MaybeNullWhen(false)] out IndustryPreset preset)
    {
        if (industry is not null && ByIndustry.TryGetValue(industry.Trim(), out var found))
        {
            preset = found;
            return true;
        }

        preset = null;
        return false;
    }

    /// <summary>
    /// The tenant's module list: the preset's modules, plus every toggle set to true, minus every toggle set to
    /// false; distinct and sorted ordinally. Toggle keys are compared ignoring case and surrounding whitespace and
    /// emitted lower-case. This function does not filter unknown modules: the input validator rejects them first.
    /// </summary>
    public static IReadOnlyList<string> Merge(IndustryPreset preset, IReadOnlyDictionary<string, bool>? toggles)
    {
        ArgumentNullException.ThrowIfNull(preset);

        var modules = new HashSet<string>(preset.Modules, StringComparer.Ordinal);
        if (toggles is not null)
        {
            foreach (var (key, enabled) in toggles)
            {
                var name = key.Trim().ToLowerInvariant();
                if (name.Length == 0)
                {
                    continue;
                }

                if (enabled)
                {
                    modules.Add(name);
                }
                else
                {
                    modules.Remove(name);
                }
            }
        }

        return Array.AsReadOnly(modules.Order(StringComparer.Ordinal).ToArray());
    }

    private static IndustryPreset Create(string industry, string displayName, params string[] modules)
    {
        var all = Core.Concat(modules).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new IndustryPreset(industry, displayName, Array.AsReadOnly(all));
    }
}

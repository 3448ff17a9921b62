using System.Collections.Frozen;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.Steps;
using BacBos.Platform.Tenancy;

namespace BacBos.Consumers.Activation.Drivers.Copilots;

/// <summary>
/// Pure rules that turn a tenant's activation input into one <see cref="CopilotConfiguration"/> per enabled module:
/// routing follows the input's <c>model_provider</c>, modules that move money get no write actions, healthcare tenants
/// scrub health identifiers too, and output limits grow with the plan. No I/O, so every rule is unit-testable.
/// </summary>
public static class CopilotPolicy
{
    public const int SchemaVersion = 1;

    /// <summary>The provider that keeps data on the platform (self-hosted models); the fallback of every route.</summary>
    public const string SelfHosted = "ollama";

    private static readonly FrozenSet<string> MoneyModules =
        FrozenSet.Create(StringComparer.Ordinal, "payments", "finance", "invoicing", "pos", "checkout", "cart", "donations", "grants");

    private static readonly FrozenSet<string> HealthModules =
        FrozenSet.Create(StringComparer.Ordinal, "patient_records", "telehealth");

    private static readonly string[] BaseEntities =
        ["person_name", "email", "phone_number", "street_address", "national_id", "payment_card", "bank_account"];

    private static readonly string[] HealthEntities = ["medical_record_number", "health_condition", "insurance_number"];

    private static readonly string[] RefusedTopics = ["credentials_and_secrets", "investment_advice", "legal_advice", "medical_diagnosis"];

    /// <summary>True when the tenant enabled the AI copilot feature (the <c>ai_copilot</c> module); otherwise no copilot runs.</summary>
    public static bool IsEnabled(TenantContext tenant) => tenant.Modules.Contains(Modules.AiCopilot, StringComparer.Ordinal);

    /// <summary>Configuration per enabled module (the <c>ai_copilot</c> module itself is the tenant-wide assistant), ordered by module.</summary>
    public static IReadOnlyList<CopilotConfiguration> For(TenantContext tenant, string defaultProvider) =>
        tenant.Modules.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(m => For(tenant, m, defaultProvider)).ToList();

    public static CopilotConfiguration For(TenantContext tenant, string module, string defaultProvider)
    {
        var index = IndexName(tenant.TenantId, module);
        var assistant = module == Modules.AiCopilot;
        var money = MoneyModules.Contains(module);
        var title = assistant ? "workspace" : Title(module);
        var business = tenant.Input.BusinessName ?? tenant.Slug;
        var prompt =
            $"You are the {title} copilot of {business}, a {tenant.Input.Industry ?? "general"} business in {tenant.Input.Region}. " +
            $"Answer from {business}'s own data (retrieval index {index}) and say so when it does not contain the answer. " +
            $"Quote amounts in {tenant.Input.Currency}. Personal data is masked before you see it; never try to recover it. " +
            (money
                ? "You cannot move money or change financial records: explain how a person does it."
                : "Propose changes for a person to approve; never claim to have made one.");

        return new CopilotConfiguration(
            SchemaVersion,
            module,
            new CopilotAgent(assistant ? "assistant" : $"{module.Replace('_', '-')}-copilot", prompt, tenant.Input.Region ?? string.Empty, tenant.Input.Currency ?? string.Empty),
            Routing(tenant.Input.ModelProvider, defaultProvider),
            new GuardrailPolicy(
                PromptInjectionFilter: true,
                MaxOutputTokens: MaxOutputTokens(tenant.Plan),
                RefusedTopics: RefusedTopics,
                WriteActions: money ? "disabled" : "require_approval"),
            new PiiPolicy(Enabled: true, Mode: "mask", Entities: Entities(tenant, module)),
            new RagSettings(
                index,
                TenantDatabases.SchemaName(tenant.TenantId),
                assistant
                    ? tenant.Modules.Where(m => m != Modules.AiCopilot).Order(StringComparer.Ordinal).Select(m => $"index:{IndexName(tenant.TenantId, m)}").ToList()
                    : [$"records:{module}", $"documents:{module}"]));
    }

    /// <summary>The retrieval index of one module: <c>tenant-{id:N}-{module}</c> with dashes (index names allow no underscores).</summary>
    public static string IndexName(Guid tenantId, string module) => $"tenant-{tenantId:N}-{module.Replace('_', '-')}";

    /// <summary>The preferred provider first, then the self-hosted model; <c>none</c> means self-hosted only, no external call.</summary>
    public static ModelRouting Routing(string? modelProvider, string defaultProvider)
    {
        var preferred = string.IsNullOrWhiteSpace(modelProvider) ? defaultProvider : modelProvider;
        if (preferred == "none")
        {
            return new ModelRouting("none", [SelfHosted], ExternalCalls: false);
        }

        return preferred == SelfHosted
            ? new ModelRouting(SelfHosted, [SelfHosted], ExternalCalls: false)
            : new ModelRouting(preferred, [preferred, SelfHosted], ExternalCalls: true);
    }

    public static int MaxOutputTokens(string plan) => plan switch
    {
        "enterprise" => 2048,
        "growth" => 1024,
        _ => 512,
    };

    private static string[] Entities(TenantContext tenant, string module) =>
        tenant.Input.Industry == "healthcare" || HealthModules.Contains(module) ? [.. BaseEntities, .. HealthEntities] : BaseEntities;

    private static string Title(string module) => module switch
    {
        "crm" => "CRM",
        "hr" => "HR",
        "pos" => "point-of-sale",
        _ => module.Replace('_', ' '),
    };
}

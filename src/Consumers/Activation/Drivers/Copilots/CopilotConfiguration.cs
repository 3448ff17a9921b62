namespace BacBos.Consumers.Activation.Drivers.Copilots;

/// <summary>
/// What the agent service needs to run one module's copilot for one tenant, stored as JSON (snake_case) in
/// <c>copilot_configs</c>. Rendered deterministically from the activation input, so an unchanged input renders the
/// identical document and a repeat stores nothing.
/// </summary>
public sealed record CopilotConfiguration(
    int SchemaVersion,
    string Module,
    CopilotAgent Agent,
    ModelRouting Routing,
    GuardrailPolicy Guardrails,
    PiiPolicy Pii,
    RagSettings Rag);

/// <summary>The agent instance: its name, the system prompt and the tenant's locale for amounts and dates.</summary>
public sealed record CopilotAgent(string Name, string SystemPrompt, string Region, string Currency);

/// <summary>
/// Model routing: the tenant's preferred provider first, then the self-hosted model. Tenant data is never routed to
/// an external provider the tenant did not choose; <c>none</c> keeps every call on the self-hosted model.
/// </summary>
public sealed record ModelRouting(string PreferredProvider, IReadOnlyList<string> Providers, bool ExternalCalls);

/// <summary>Output limits, refused topics and what the copilot may change on its own.</summary>
public sealed record GuardrailPolicy(
    bool PromptInjectionFilter,
    int MaxOutputTokens,
    IReadOnlyList<string> RefusedTopics,
    string WriteActions);

/// <summary>Personal data scrubbed from prompts, retrieved context and responses before they leave the platform.</summary>
public sealed record PiiPolicy(bool Enabled, string Mode, IReadOnlyList<string> Entities);

/// <summary>The retrieval index the document indexer fills for this module, and where its sources live.</summary>
public sealed record RagSettings(string Index, string TenantSchema, IReadOnlyList<string> Sources);

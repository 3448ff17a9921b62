using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;

namespace BacBos.Integration.Tests.Drivers.GitOps;

/// <summary>Tenant contexts as the step consumers build them (normalised input, a fresh tenant and activation id).</summary>
public static class TestTenants
{
    public static TenantContext New(params string[] modules) => New("Lagos Fresh Foods", modules);

    public static TenantContext New(string businessName, IReadOnlyList<string> modules, string? modelProvider = null, string industry = "retail", string plan = "growth") =>
        new(
            Guid.NewGuid(),
            Guid.NewGuid(),
            new BusinessActivationInput(businessName, "NG", "NGN", industry, ["web", "whatsapp"], ["stripe"], ModelProvider: modelProvider, Plan: plan),
            modules);

    /// <summary>The same tenant with another module list (what a changed preset or toggles produce).</summary>
    public static TenantContext WithModules(this TenantContext tenant, params string[] modules) => tenant with { Modules = modules };

    /// <summary>The context a compensation command yields: no module list.</summary>
    public static TenantContext ForCompensation(this TenantContext tenant) => tenant with { Modules = [] };
}

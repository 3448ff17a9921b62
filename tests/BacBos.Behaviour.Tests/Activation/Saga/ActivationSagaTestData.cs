using System.Text.Json;
using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

/// <summary>Inputs and helpers shared by the activation saga tests.</summary>
internal static class ActivationSagaTestData
{
    /// <summary>The modules step 3 reports; later commands must carry them.</summary>
    public const string PresetModules = "crm, pos,storefront";

    public static readonly IReadOnlyList<string> ExpectedModules = ["crm", "pos", "storefront"];

    public static readonly DateTimeOffset SubmittedAt = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static ActivationOptions Options() => new() { MaxAttempts = 3, StepTimeout = TimeSpan.FromHours(1) };

    public static BusinessActivationInput Input() => new(
        BusinessName: "Acme Foods",
        Region: "NG",
        Currency: "NGN",
        Industry: "ecommerce",
        Channels: ["whatsapp", "email"],
        Payments: ["paystack"],
        FeatureToggles: new Dictionary<string, bool> { ["pos"] = true },
        Domain: "shop.acme.ng",
        AdminContact: new AdminContact("Ada Obi", "ada@acme.ng"),
        Plan: "growth");

    public static ActivationResult Result(Guid activationId, Guid tenantId, IReadOnlyList<string> modules) => new(
        tenantId,
        activationId,
        "Acme Foods",
        "active",
        new ActivationEndpoints("https://console.test", "https://api.test", "https://api.test/graphql", null),
        new ActivationCredentials("admin", null, null),
        modules,
        [new OnboardingStep(1, "Sign in", "Sign in to the console", null)]);

    /// <summary>Steps that own a compensation command (every step except 1 and 11).</summary>
    public static bool IsCompensable(ActivationStep step) => step is not (ActivationStep.ValidateInput or ActivationStep.CompileResult);

    /// <summary>The whole saga document as JSON, to prove a message changed nothing at all.</summary>
    public static string Snapshot(ActivationState state) => JsonSerializer.Serialize(state);
}

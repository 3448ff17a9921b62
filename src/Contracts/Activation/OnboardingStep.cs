namespace BacBos.Contracts.Activation;

/// <summary>One entry of the 9-step onboarding guide returned with the activation result.</summary>
public sealed record OnboardingStep(int Order, string Title, string Description, string? Url);

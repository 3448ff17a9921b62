namespace BacBos.Contracts.Activation;

/// <summary>
/// The business profile that <c>POST /api/v1/activate</c> turns into a running tenant.
/// Every member is optional on the wire so the validator can report every missing field at once;
/// new members must stay optional (other systems publish this message too).
/// </summary>
public sealed record BusinessActivationInput(
    string? BusinessName,
    string? Region,
    string? Currency,
    string? Industry,
    IReadOnlyList<string>? Channels,
    IReadOnlyList<string>? Payments,
    IReadOnlyDictionary<string, bool>? FeatureToggles = null,
    string? Domain = null,
    AdminContact? AdminContact = null,
    string? ModelProvider = null,
    IReadOnlyList<ProductInput>? Products = null,
    string? Plan = null);

using BacBos.Contracts.Activation;

namespace BacBos.Behaviour.Tests.Activation.ValidateInput;

/// <summary>A complete, valid activation input that tests modify one field at a time.</summary>
internal static class ValidActivationInput
{
    public static BusinessActivationInput Create() => new(
        BusinessName: "Acme Foods",
        Region: "NG",
        Currency: "NGN",
        Industry: "ecommerce",
        Channels: ["whatsapp", "email"],
        Payments: ["paystack", "stripe"],
        FeatureToggles: new Dictionary<string, bool> { ["pos"] = true, ["marketing"] = false },
        Domain: "shop.acme.ng",
        AdminContact: new AdminContact("Ada Obi", "ada@acme.ng", "+234 801 234 5678"),
        ModelProvider: "openai",
        Products:
        [
            new ProductInput("Jollof rice", "JR-1", "product", 2500.50m, "Party-size tray"),
            new ProductInput("Catering", "CAT-1", "service", 150000m, null),
        ],
        Plan: "growth");

    public static BusinessActivationInput WithPrice(string currency, decimal price) =>
        Create() with { Currency = currency, Products = [new ProductInput("Item", Price: price)] };
}

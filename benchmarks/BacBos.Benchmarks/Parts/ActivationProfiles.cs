using System.Text.Json.Nodes;
using BacBos.Contracts.Activation;

namespace BacBos.Benchmarks.Parts;

/// <summary>
/// The business profile every activation scenario uses (the README's example shape: Nigeria, NGN, e-commerce with
/// 15 modules, two channels, two payment providers, one product), as the HTTP body and as the contract the step
/// consumers receive, so the end-to-end run and its direct baseline do the same work.
/// </summary>
public static class ActivationProfiles
{
    public static JsonObject Body(string businessName, string adminEmail) => new()
    {
        ["business_name"] = businessName,
        ["region"] = "NG",
        ["currency"] = "NGN",
        ["industry"] = "ecommerce",
        ["channels"] = new JsonArray("whatsapp", "email"),
        ["payments"] = new JsonArray("paystack", "stripe"),
        ["admin_contact"] = new JsonObject { ["name"] = "Ada Obi", ["email"] = adminEmail },
        ["products"] = new JsonArray(new JsonObject { ["name"] = "Weekly veg box", ["sku"] = "VEG-BOX", ["kind"] = "product", ["price"] = 12500 }),
    };

    public static BusinessActivationInput Input(string businessName, string adminEmail) => new(
        businessName,
        "NG",
        "NGN",
        "ecommerce",
        ["whatsapp", "email"],
        ["paystack", "stripe"],
        AdminContact: new AdminContact("Ada Obi", adminEmail),
        Products: [new ProductInput("Weekly veg box", "VEG-BOX", "product", 12500m)]);
}

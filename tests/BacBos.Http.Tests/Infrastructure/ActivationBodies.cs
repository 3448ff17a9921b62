using System.Text.Json.Nodes;

namespace BacBos.Http.Tests.Infrastructure;

/// <summary>Activation request bodies as JSON trees, so a test can remove or break exactly one member.</summary>
public static class ActivationBodies
{
    /// <summary>The documented example profile (Nigeria, NGN, e-commerce) under <paramref name="businessName"/>.</summary>
    public static JsonObject Valid(string businessName) => new()
    {
        ["business_name"] = businessName,
        ["region"] = "NG",
        ["currency"] = "NGN",
        ["industry"] = "ecommerce",
        ["channels"] = new JsonArray("whatsapp", "email"),
        ["payments"] = new JsonArray("paystack", "stripe"),
        ["domain"] = "lagosfresh.example",
        ["admin_contact"] = new JsonObject { ["name"] = "Ada Obi", ["email"] = "ada@lagosfresh.example" },
        ["products"] = new JsonArray(new JsonObject { ["name"] = "Weekly veg box", ["sku"] = "VEG-BOX", ["kind"] = "product", ["price"] = 12500 }),
    };

    /// <summary>A copy of <paramref name="body"/> with the member at a dotted/indexed path (<c>admin_contact.email</c>, <c>products[0].price</c>) set or removed.</summary>
    public static JsonObject With(JsonObject body, string path, JsonNode? value, bool remove = false)
    {
        var copy = (JsonObject)body.DeepClone();
        var segments = path.Split('.');
        JsonNode parent = copy;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            parent = Step(parent, segments[i]);
        }

        var last = segments[^1];
        if (last.Contains('[', StringComparison.Ordinal))
        {
            throw new ArgumentException("The last segment must name a member, not an array element.", nameof(path));
        }

        var container = (JsonObject)parent;
        if (remove)
        {
            container.Remove(last);
        }
        else
        {
            container[last] = value;
        }

        return copy;
    }

    public static JsonObject Without(JsonObject body, string member) => With(body, member, null, remove: true);

    private static JsonNode Step(JsonNode node, string segment)
    {
        var open = segment.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return node[segment] ?? throw new ArgumentException($"No member '{segment}'.", nameof(segment));
        }

        var name = segment[..open];
        var index = int.Parse(segment[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
        return node[name]![index] ?? throw new ArgumentException($"No element '{segment}'.", nameof(segment));
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BacBos.Integration.Tests.Doubles.KubernetesApi;

/// <summary>
/// The checks the API server (or the CRD's structural schema) makes before storing an object, for the fields the
/// tenant drivers send: identity (apiVersion/kind/name/namespace against the URL), name and label syntax, and the
/// required fields of each kind. A failure answers 400 or 422 like the real server.
/// </summary>
public static class ApiObjectValidation
{
    public static void CheckIdentity(JsonObject body, ApiResource resource, string? ns, string name)
    {
        var apiVersion = body["apiVersion"]?.GetValue<string>();
        var kind = body["kind"]?.GetValue<string>();
        if (apiVersion is null || kind is null)
        {
            throw KubeStatusException.BadRequest("Object 'apiVersion' and 'Kind' are missing in the request body");
        }

        if (apiVersion != resource.ApiVersion || kind != resource.Kind)
        {
            throw KubeStatusException.BadRequest(
                $"the API version in the data ({apiVersion}) or kind ({kind}) does not match the expected {resource.ApiVersion}, {resource.Kind}");
        }

        var bodyName = body["metadata"]?["name"]?.GetValue<string>();
        if (bodyName != name)
        {
            throw KubeStatusException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var bodyNamespace = body["metadata"]?["namespace"]?.GetValue<string>();
        if (resource.Namespaced && bodyNamespace is not null && bodyNamespace != ns)
        {
            throw KubeStatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    public static void CheckContent(JsonObject body, ApiResource resource, string name)
    {
        var nameOk = resource.Kind == "Namespace" ? KubernetesNames.IsLabel(name) : KubernetesNames.IsSubdomain(name);
        if (!nameOk)
        {
            throw KubeStatusException.Invalid(resource, name, "metadata.name", $"Invalid value: \"{name}\": a lowercase RFC 1123 {(resource.Kind == "Namespace" ? "label" : "subdomain")} must consist of lower case alphanumeric characters, '-' or '.'");
        }

        if (body["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                var text = value?.GetValue<string>() ?? string.Empty;
                if (!KubernetesNames.IsLabelValue(text))
                {
                    throw KubeStatusException.Invalid(resource, name, $"metadata.labels", $"Invalid value: \"{text}\": a valid label value must be 63 characters or less and consist of alphanumerics, '-', '_' or '.' (label {key})");
                }
            }
        }

        var spec = body["spec"] as JsonObject;
        switch (resource.Kind)
        {
            case "Role":
                foreach (var (rule, i) in Items(body["rules"]))
                {
                    Require(resource, name, $"rules[{i}].verbs", rule["verbs"] is JsonArray { Count: > 0 });
                }

                break;
            case "RoleBinding":
                Require(resource, name, "roleRef.name", body["roleRef"]?["name"] is not null);
                Require(resource, name, "roleRef.apiGroup", body["roleRef"]?["apiGroup"]?.GetValue<string>() == ApiResources.Rbac);
                Require(resource, name, "roleRef.kind", body["roleRef"]?["kind"]?.GetValue<string>() is "Role" or "ClusterRole");
                break;
            case "NetworkPolicy":
                Require(resource, name, "spec.podSelector", spec?["podSelector"] is JsonObject);
                break;
            case "DNSEndpoint":
                foreach (var (endpoint, i) in Items(spec?["endpoints"]))
                {
                    Require(resource, name, $"spec.endpoints[{i}].dnsName", endpoint["dnsName"] is JsonValue);
                    Require(resource, name, $"spec.endpoints[{i}].recordType", endpoint["recordType"]?.GetValue<string>() is "A" or "AAAA" or "CNAME" or "MX" or "TXT" or "SRV" or "NS" or "PTR");
                    Require(resource, name, $"spec.endpoints[{i}].targets", endpoint["targets"] is JsonArray { Count: > 0 });
                }

                break;
            case "Certificate":
                Require(resource, name, "spec.secretName", spec?["secretName"] is JsonValue);
                Require(resource, name, "spec.issuerRef.name", spec?["issuerRef"]?["name"] is JsonValue);
                Require(resource, name, "spec.dnsNames", spec?["dnsNames"] is JsonArray { Count: > 0 } || spec?["commonName"] is JsonValue);
                break;
        }
    }

    private static IEnumerable<(JsonObject Item, int Index)> Items(JsonNode? array) =>
        array is JsonArray items ? items.OfType<JsonObject>().Select((item, i) => (item, i)) : [];

    private static void Require(ApiResource resource, string name, string field, bool ok)
    {
        if (!ok)
        {
            throw KubeStatusException.Invalid(resource, name, field, "Required value");
        }
    }

}

/// <summary>The API server's name rules: RFC 1123 labels (namespaces), subdomains (other objects), label values.</summary>
public static partial class KubernetesNames
{
    public static bool IsLabel(string name) => name.Length <= 63 && Label().IsMatch(name);

    public static bool IsSubdomain(string name) => name.Length <= 253 && Subdomain().IsMatch(name);

    public static bool IsLabelValue(string value) => value.Length <= 63 && LabelValue().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}

using System.Text.Json.Nodes;

namespace BacBos.Integration.Tests.Doubles.KubernetesApi;

/// <summary>
/// An API failure as the API server writes it: a <c>Status</c> object (<c>kind: Status</c>, <c>status: Failure</c>,
/// <c>reason</c>, <c>message</c>, <c>details</c>, <c>code</c>) with the same HTTP status code.
/// </summary>
public sealed class KubeStatusException(int code, string reason, string message, ApiResource? resource = null, string? name = null)
    : Exception(message)
{
    public int Code => code;

    public string Reason => reason;

    public JsonObject ToStatus() => KubeStatus.Build("Failure", code, reason, Message, resource, name);

    public static KubeStatusException NotFound(ApiResource resource, string name) =>
        new(404, "NotFound", $"{resource.QualifiedName} \"{name}\" not found", resource, name);

    public static KubeStatusException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", ApiResources.ByPlural("namespaces"), ns);

    public static KubeStatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeStatusException Invalid(ApiResource resource, string name, string field, string problem) =>
        new(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {field}: {problem}", resource, name);
}

/// <summary>Builds <c>Status</c> bodies: failures (see <see cref="KubeStatusException"/>) and the success of a delete.</summary>
public static class KubeStatus
{
    public static JsonObject Build(string status, int code, string? reason, string? message, ApiResource? resource, string? name)
    {
        var result = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = status,
        };
        if (message is not null)
        {
            result["message"] = message;
        }

        if (reason is not null)
        {
            result["reason"] = reason;
        }

        if (resource is not null || name is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (resource is not null)
            {
                if (resource.Group.Length > 0)
                {
                    details["group"] = resource.Group;
                }

                details["kind"] = resource.Plural;
            }

            result["details"] = details;
        }

        result["code"] = code;
        return result;
    }

    public static JsonObject Success(ApiResource resource, string name, string uid)
    {
        var status = Build("Success", 200, null, null, resource, name);
        ((JsonObject)status["details"]!)["uid"] = uid;
        return status;
    }
}

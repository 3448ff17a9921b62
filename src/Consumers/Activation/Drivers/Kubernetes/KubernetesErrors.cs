using System.Net;
using System.Text.Json;
using BacBos.Consumers.Activation.Steps;
using k8s.Autorest;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// A cluster failure that may go away (API server unavailable, throttling, a namespace still terminating): the step's
/// endpoint retries and then redelivers the command on a schedule.
/// </summary>
public sealed class TransientKubernetesException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Sorts API errors into permanent (the request itself is wrong or forbidden) and transient ones.</summary>
public static class KubernetesErrors
{
    /// <summary>
    /// 400/401/403/404/405/415/422 are permanent — except 403 for a namespace that is being terminated, which clears
    /// once the deletion finishes. Everything else (409, 429, 5xx) is transient. The message carries the API's own
    /// <c>Status</c> reason and message, never request headers.
    /// </summary>
    public static Exception Translate(string what, HttpOperationException ex)
    {
        var code = ex.Response.StatusCode;
        var (reason, message) = ReadStatus(ex.Response.Content);
        var text = $"kubernetes: {what} failed: {(int)code} {reason ?? code.ToString()}{(message is null ? string.Empty : ": " + message)}";
        var terminating = code == HttpStatusCode.Forbidden && message?.Contains("being terminated", StringComparison.OrdinalIgnoreCase) == true;
        var permanent = !terminating && code is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity;
        return permanent ? new PermanentStepException(text) : new TransientKubernetesException(text, ex);
    }

    private static (string? Reason, string? Message) ReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? (null, null)
                : (Text(root, "reason"), Text(root, "message"));
        }
        catch (JsonException)
        {
            return (null, content.Length > 200 ? content[..200] : content);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

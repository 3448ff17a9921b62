using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BacBos.Http.Tests.Infrastructure;

/// <summary>Builds the gateway requests the tests send.</summary>
public static class Requests
{
    public const string ActivatePath = "/api/v1/activate";

    public static HttpRequestMessage Activate(JsonNode body, string? idempotencyKey = null) =>
        Activate(body.ToJsonString(), "application/json", idempotencyKey);

    public static HttpRequestMessage Activate(string body, string contentType, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ActivatePath)
        {
            Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static HttpRequestMessage ActivateRaw(HttpContent content, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ActivatePath) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static string ActivationPath(Guid id) => $"/api/v1/activations/{id:D}";
}

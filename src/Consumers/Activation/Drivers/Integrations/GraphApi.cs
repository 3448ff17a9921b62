using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>The WhatsApp phone number as the Graph API describes it.</summary>
public sealed record WhatsAppPhoneNumber(string Id, string DisplayPhoneNumber, string VerifiedName, string? QualityRating);

/// <summary>
/// The WhatsApp Business Management calls step 7 needs, over Meta's Graph API with the tenant's token as
/// <c>Authorization: Bearer</c>: read a phone number, list / add / remove the app's webhook subscription on the WABA.
/// Graph errors are <c>{"error":{"message","type","code","error_subcode","is_transient"}}</c>: an invalid token
/// (code 190) or a bad id (code 100) is permanent; rate limits (codes 4, 17, 32, 613, 80007, 130429), answers
/// marked <c>is_transient</c>, 429 and 5xx are transient.
/// </summary>
public sealed class GraphApi(WhatsAppOptions options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "graph";

    private static readonly int[] RateLimitCodes = [4, 17, 32, 613, 80007, 130429];

    public async Task<WhatsAppPhoneNumber> GetPhoneNumberAsync(WhatsAppCredentials credentials, CancellationToken cancellationToken)
    {
        using var json = await SendAsync(HttpMethod.Get, $"{Uri.EscapeDataString(credentials.PhoneNumberId)}?fields=display_phone_number,verified_name,quality_rating", credentials, cancellationToken);
        var root = json.RootElement;
        return new WhatsAppPhoneNumber(
            Text(root, "id") ?? credentials.PhoneNumberId,
            Text(root, "display_phone_number") ?? throw new PermanentStepException($"Graph API: phone number {credentials.PhoneNumberId} has no display_phone_number"),
            Text(root, "verified_name") ?? string.Empty,
            Text(root, "quality_rating"));
    }

    /// <summary>The ids of the apps subscribed to the WABA's webhooks.</summary>
    public async Task<IReadOnlyList<string>> SubscribedAppsAsync(WhatsAppCredentials credentials, CancellationToken cancellationToken)
    {
        using var json = await SendAsync(HttpMethod.Get, SubscribedApps(credentials), credentials, cancellationToken);
        if (!json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new TransientProviderException("Graph API: subscribed_apps answered without a data array");
        }

        return data.EnumerateArray()
            .Select(app => app.TryGetProperty("whatsapp_business_api_data", out var d) ? Text(d, "id") : null)
            .OfType<string>()
            .ToList();
    }

    public Task SubscribeAsync(WhatsAppCredentials credentials, CancellationToken cancellationToken) =>
        ExpectSuccessAsync(HttpMethod.Post, credentials, cancellationToken);

    public Task UnsubscribeAsync(WhatsAppCredentials credentials, CancellationToken cancellationToken) =>
        ExpectSuccessAsync(HttpMethod.Delete, credentials, cancellationToken);

    private async Task ExpectSuccessAsync(HttpMethod method, WhatsAppCredentials credentials, CancellationToken cancellationToken)
    {
        using var json = await SendAsync(method, SubscribedApps(credentials), credentials, cancellationToken);
        if (!json.RootElement.TryGetProperty("success", out var success) || success.ValueKind != JsonValueKind.True)
        {
            throw new TransientProviderException($"Graph API: {method} subscribed_apps did not answer success: true");
        }
    }

    private static string SubscribedApps(WhatsAppCredentials credentials) => $"{Uri.EscapeDataString(credentials.BusinessAccountId)}/subscribed_apps";

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, WhatsAppCredentials credentials, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri($"{options.GraphBaseUrl.TrimEnd('/')}/{options.ApiVersion}/{path}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.AccessToken);
        using (var response = await ProviderFailure.SendAsync(httpClients.CreateClient(HttpClientName), request, "Graph API", cancellationToken))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonDocument? json = null;
            try
            {
                json = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                // Handled below: a success must be JSON; an error without JSON is classified by its status.
            }

            if (response.IsSuccessStatusCode && json is not null)
            {
                return json;
            }

            using (json)
            {
                throw Failure(response.StatusCode, json?.RootElement);
            }
        }
    }

    private static Exception Failure(HttpStatusCode status, JsonElement? body)
    {
        if (body is not { } root || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return ProviderFailure.From("Graph API", status, "no error object");
        }

        var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0;
        var transient = error.TryGetProperty("is_transient", out var t) && t.ValueKind == JsonValueKind.True;
        var message = $"{Text(error, "type")} code {code}: {Text(error, "message")}";
        return transient || RateLimitCodes.Contains(code)
            ? new TransientProviderException($"Graph API answered {(int)status}: {message}")
            : ProviderFailure.From("Graph API", status, message);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

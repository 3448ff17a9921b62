using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// The one Paystack call step 7 makes: <c>GET /transaction/totals</c> with <c>Authorization: Bearer sk_…</c>, a
/// read-only call that only a valid secret key may make, to prove the key works before the tenant relies on it.
/// Paystack answers <c>{"status":true,"message":…,"data":…}</c>, or 401 <c>{"status":false,"message":"Invalid key"}</c>.
/// </summary>
public sealed class PaystackApi(PaystackOptions options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "paystack";

    public async Task VerifyKeyAsync(string secretKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{options.BaseUrl.TrimEnd('/')}/transaction/totals"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secretKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using (var response = await ProviderFailure.SendAsync(httpClients.CreateClient(HttpClientName), request, "Paystack", cancellationToken))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var (status, message) = Parse(body);
            if (!response.IsSuccessStatusCode)
            {
                throw ProviderFailure.From("Paystack", response.StatusCode, message ?? "no message");
            }

            if (status != true)
            {
                throw new TransientProviderException($"Paystack answered {(int)response.StatusCode} without status true: {message ?? "unreadable body"}");
            }
        }
    }

    private static (bool? Status, string? Message) Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            bool? status = root.TryGetProperty("status", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (status, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}

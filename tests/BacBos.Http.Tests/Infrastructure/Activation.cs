using System.Net;
using System.Text.Json;

namespace BacBos.Http.Tests.Infrastructure;

/// <summary>The parts of a 201 activation response the tests reuse, plus the raw JSON for detailed assertions.</summary>
public sealed record Activation(Guid ActivationId, Guid TenantId, string ApiKey, string TempPassword, Uri? Location, JsonElement Body)
{
    public static async Task<Activation> ReadCreatedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201 Created, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        var credentials = body.GetProperty("result").GetProperty("credentials");
        return new Activation(
            body.GetProperty("activation_id").GetGuid(),
            body.GetProperty("tenant_id").GetGuid(),
            credentials.GetProperty("api_key").GetString() ?? throw new InvalidOperationException("api_key is null in the first 201: " + text),
            credentials.GetProperty("temp_password").GetString() ?? throw new InvalidOperationException("temp_password is null in the first 201: " + text),
            response.Headers.Location,
            body);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BacBos.Consumers.Documents;
using BacBos.Http.Tests.Infrastructure;
using BacBos.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// The embedded gateway with the test side of the documents seam (<see cref="TestDocumentSource"/>): exports run through
/// the real saga, consumers and local-folder store; download links point at this gateway.
/// </summary>
public class ExportGateway : EmbeddedGatewayFactory
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public ExportGateway()
        : this(new TestDocumentSource(), urlLifetime: null)
    {
    }

    protected ExportGateway(TestDocumentSource documents, TimeSpan? urlLifetime)
        : base(
            NewDataDirectory(),
            ownsDirectory: true,
            urlLifetime is { } lifetime
                ? new Dictionary<string, string?> { ["PublicUrls:ApiBaseUrl"] = "http://localhost", ["Documents:Exports:UrlLifetime"] = lifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture) }
                : new Dictionary<string, string?> { ["PublicUrls:ApiBaseUrl"] = "http://localhost" },
            s => s.AddSingleton<IDocumentSource>(documents)) =>
        Documents = documents;

    public TestDocumentSource Documents { get; }

    public static HttpRequestMessage Export(Guid documentId, string body, string? idempotencyKey = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/documents/{documentId}/exports") { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    /// <summary>Starts an export and asserts the 202; returns the body.</summary>
    public static async Task<JsonElement> AcceptedAsync(HttpClient client, Guid documentId, string format, string? idempotencyKey = null)
    {
        using var response = await client.SendAsync(Export(documentId, $$"""{"format":"{{format}}"}""", idempotencyKey));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal($"/api/v1/documents/{documentId}/exports/{body.GetProperty("export_id").GetGuid()}", response.Headers.Location?.OriginalString);
        return body;
    }

    /// <summary>Polls the export's status until it is completed or failed.</summary>
    public static Task<JsonElement> FinishedAsync(HttpClient client, Guid documentId, Guid exportId) =>
        Eventually.MatchAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{documentId}/exports/{exportId}")).Clone(),
            e => e.GetProperty("status").GetString() is "completed" or "failed",
            Deadline,
            $"export {exportId} to finish");
}

/// <summary>The export gateway with download links that live two seconds.</summary>
public sealed class ShortLinkExportGateway : ExportGateway
{
    public ShortLinkExportGateway()
        : base(new TestDocumentSource(), TimeSpan.FromSeconds(2))
    {
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Documents;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// The embedded gateway on real Kestrel (port 0), so real <see cref="System.Net.WebSockets.ClientWebSocket"/>s can
/// connect, with small document limits and a documents clock the tests move (autosave, rate limits, token expiry).
/// Only the documents clock is fake: activation and everything else run on real time.
/// </summary>
public class DocumentsGateway : EmbeddedGatewayFactory
{
    public const int MaxDocumentLength = 5_000;

    public DocumentsGateway()
        : this(new FakeTimeProvider(DateTimeOffset.UtcNow), burst: 100_000)
    {
    }

    protected DocumentsGateway(FakeTimeProvider clock, int burst)
        : base(NewDataDirectory(), ownsDirectory: true, Settings(burst), services => services.AddKeyedSingleton<TimeProvider>(DocumentsOptions.Clock, clock))
    {
        Clock = clock;
        UseKestrel(0);
        StartServer();
    }

    /// <summary>The documents clock; nothing moves it but the tests.</summary>
    public FakeTimeProvider Clock { get; }

    public Uri WebSocketBase
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    public async Task<DocumentsClient> NewTenantAsync(string name)
    {
        var activation = await ActivateSampleAsync($"{name} {Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 60)]);
        return new DocumentsClient(new CrmClient(CreateClientWith(activation.ApiKey), activation), this);
    }

    private static Dictionary<string, string?> Settings(int burst) => new()
    {
        ["Documents:MaxDocumentLength"] = MaxDocumentLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Documents:OperationBurst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Documents:MaxOperationsPerSecond"] = "2",
        ["Documents:MaxMessageBytes"] = "65536",
        ["Documents:AutosaveInterval"] = "00:00:30",
    };
}

/// <summary>A gateway whose editors may send 3 operation messages at once, then 2 per second of the documents clock.</summary>
public sealed class RateLimitedDocumentsGateway() : DocumentsGateway(new FakeTimeProvider(DateTimeOffset.UtcNow), burst: 3);

/// <summary>The documents API as one tenant calls it.</summary>
public sealed class DocumentsClient(CrmClient api, DocumentsGateway gateway) : IDisposable
{
    public CrmClient Api { get; } = api;

    public string ApiKey => Api.Tenant.ApiKey;

    public Guid TenantId => Api.Tenant.TenantId;

    public async Task<Guid> CreateAsync(string title, string content) =>
        (await Api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/documents", new JsonObject { ["title"] = title, ["content"] = content })).GetProperty("id").GetGuid();

    public Task<JsonElement> GetAsync(Guid id) => Api.GetAsync($"/api/v1/documents/{id:D}");

    public async Task<JsonElement> VersionsAsync(Guid id) => (await Api.GetAsync($"/api/v1/documents/{id:D}/versions")).GetProperty("items");

    /// <summary>An editor connected with this tenant's API key; it has read its hello.</summary>
    public Task<Editor> ConnectAsync(Guid documentId) => Editor.ConnectAsync(new Uri(gateway.WebSocketBase, $"/ws/documents/{documentId:D}"), ApiKey);

    public void Dispose() => Api.Dispose();
}

/// <summary>Documents WebSocket test classes share one gateway and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DocumentsCollection : ICollectionFixture<DocumentsGateway>
{
    public const string Name = "Documents over the embedded gateway on Kestrel";
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Crm;

/// <summary>The CRM API as one tenant calls it (its own API key), with helpers for the usual steps of the workflow.</summary>
public sealed class CrmClient(HttpClient http, Activation tenant) : IDisposable
{
    public Activation Tenant { get; } = tenant;

    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    /// <summary>Sends and asserts the status; returns the JSON body.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode status, HttpMethod method, string path, JsonNode? body = null, string? idempotencyKey = null)
    {
        using var response = await SendAsync(method, path, body, idempotencyKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path} answered {(int)response.StatusCode}, expected {(int)status}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string path) => ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, path);

    public Task<JsonElement> CreateLeadAsync(string name, string? priority = null, string? source = null, string email = "lead@example.com") =>
        ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/leads", new JsonObject
        {
            ["name"] = name,
            ["email"] = email,
            ["company"] = name + " Ltd",
            ["priority"] = priority,
            ["source"] = source,
        });

    public Task<JsonElement> SetLeadStatusAsync(Guid leadId, string status) =>
        ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/leads/{leadId:D}", new JsonObject { ["status"] = status });

    /// <summary>A lead moved new → contacted → qualified.</summary>
    public async Task<Guid> QualifiedLeadAsync(string name)
    {
        var id = (await CreateLeadAsync(name)).GetProperty("id").GetGuid();
        await SetLeadStatusAsync(id, "contacted");
        await SetLeadStatusAsync(id, "qualified");
        return id;
    }

    public Task<JsonElement> CreateContactAsync(string name) =>
        ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/contacts", new JsonObject { ["name"] = name, ["email"] = "contact@example.com" });

    /// <summary>An opportunity for a new contact.</summary>
    public async Task<JsonElement> CreateOpportunityAsync(decimal amount, string? currency = null, string? stage = null, decimal? probability = null, string? name = null)
    {
        var contactId = (await CreateContactAsync("Contact of " + (name ?? "deal"))).GetProperty("id").GetGuid();
        return await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/opportunities", new JsonObject
        {
            ["contact_id"] = contactId.ToString(),
            ["name"] = name,
            ["amount"] = amount,
            ["currency"] = currency,
            ["stage"] = stage,
            ["probability"] = probability,
        });
    }

    public Task<JsonElement> PatchOpportunityAsync(Guid id, JsonObject patch) =>
        ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/opportunities/{id:D}", patch);

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// One embedded gateway for the CRM HTTP tests; each test class makes the tenants it needs (a fresh tenant has an
/// empty CRM, so lists and totals are exactly what the test created).
/// </summary>
public sealed class CrmGateway : EmbeddedGatewayFactory
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<object>>> _shared = new();

    /// <summary>Something made once per gateway and shared by the tests of a class (e.g. tenants no test changes).</summary>
    public async Task<T> SharedAsync<T>(string key, Func<Task<T>> create)
        where T : class =>
        (T)await _shared.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await create())).Value;

    public async Task<CrmClient> NewTenantAsync(string name)
    {
        var activation = await ActivateSampleAsync($"{name} {Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 60)]);
        return new CrmClient(CreateClientWith(activation.ApiKey), activation);
    }

    /// <summary>A count over the tenant's own SQLite file.</summary>
    public async Task<long> TenantCountAsync(CrmClient tenant, string sql)
    {
        await using var connection = await OpenTenantDatabaseAsync(tenant.Tenant.TenantId);
        return await ScalarAsync(connection, sql);
    }
}

/// <summary>CRM HTTP test classes share one gateway and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class CrmCollection : ICollectionFixture<CrmGateway>
{
    public const string Name = "CRM over the embedded gateway";
}

/// <summary>Reading CRM answers.</summary>
public static class CrmJson
{
    public static string? Text(JsonElement e, string name) => e.GetProperty(name).GetString();

    public static IReadOnlyList<string> Strings(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToList();

    public static Guid Id(JsonElement e) => e.GetProperty("id").GetGuid();

    /// <summary>The items of a page, as (property) strings.</summary>
    public static IReadOnlyList<string> Items(JsonElement page, string property) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(property).ToString()).ToList();
}

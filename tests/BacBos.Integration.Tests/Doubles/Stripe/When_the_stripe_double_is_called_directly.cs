using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BacBos.Integration.Tests.Doubles.Stripe;

/// <summary>
/// The Stripe double's own protocol, checked over raw HTTP: Idempotency-Key replay and conflict, authentication,
/// form encoding, validation, the endpoint limit and the error shapes Stripe.net parses.
/// </summary>
public sealed class When_the_stripe_double_is_called_directly : IAsyncLifetime, IDisposable
{
    private static readonly string[] Events = ["payment_intent.succeeded", "charge.refunded"];
    private readonly HttpClient _http = new();
    private StripeDouble _stripe = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _stripe = await StripeDouble.StartAsync();
        _key = _stripe.CreateAccount();
    }

    [Fact]
    public async Task Should_replay_the_same_answer_for_the_same_key_and_parameters()
    {
        using var first = await CreateAsync("https://a.example/hook", "key-1");
        using var second = await CreateAsync("https://a.example/hook", "key-1");

        var a = await JsonAsync(first);
        var b = await JsonAsync(second);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Equal(a.GetProperty("secret").GetString(), b.GetProperty("secret").GetString());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(_stripe.WebhookEndpoints(_key));
        Assert.Equal(1, _stripe.Account(_key).State<StripeWebhookEndpointStore>().Created);
    }

    [Fact]
    public async Task Should_refuse_the_same_key_with_other_parameters()
    {
        using var first = await CreateAsync("https://a.example/hook", "key-2");
        using var conflict = await CreateAsync("https://b.example/hook", "key-2");

        Assert.Equal(HttpStatusCode.BadRequest, conflict.StatusCode);
        Assert.Equal("idempotency_error", (await JsonAsync(conflict)).GetProperty("error").GetProperty("type").GetString());
        Assert.Single(_stripe.WebhookEndpoints(_key));
    }

    [Fact]
    public async Task Should_create_again_without_a_key_and_not_store_validation_errors()
    {
        using var one = await CreateAsync("https://a.example/hook", null);
        using var two = await CreateAsync("https://a.example/hook", null);
        using var invalid = await CreateAsync("http://127.0.0.1/hook", "key-3");
        using var retried = await CreateAsync("http://127.0.0.1/hook", "key-3");

        Assert.Equal(2, _stripe.WebhookEndpoints(_key).Count);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var error = (await JsonAsync(invalid)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("url", error.GetProperty("param").GetString());
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Should_answer_401_in_stripe_s_error_shape()
    {
        using var missing = await _http.PostAsync(Url("/v1/webhook_endpoints"), Form("https://a.example/hook"));
        using var wrong = await SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", Form("https://a.example/hook"), "sk_test_unknownunknownunknown1234", null);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var error = (await JsonAsync(wrong)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.StartsWith("Invalid API Key provided: sk_test_", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("unknownunknown", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_stripe.WebhookEndpoints(_key));
    }

    [Fact]
    public async Task Should_validate_what_a_create_carries()
    {
        using var json = await SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", new StringContent("{\"url\":\"https://a.example\"}", Encoding.UTF8, "application/json"), _key, null);
        using var noEvents = await SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", new FormUrlEncodedContent([new("url", "https://a.example/hook")]), _key, null);
        using var badEvent = await SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", new FormUrlEncodedContent([new("url", "https://a.example/hook"), new("enabled_events[0]", "payment.success")]), _key, null);
        using var unknown = await SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", new FormUrlEncodedContent([new("url", "https://a.example/hook"), new("enabled_events[0]", "*"), new("colour", "red")]), _key, null);

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("enabled_events", (await JsonAsync(noEvents)).GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("enabled_events[0]", (await JsonAsync(badEvent)).GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("parameter_unknown", (await JsonAsync(unknown)).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_stripe.WebhookEndpoints(_key));
    }

    [Fact]
    public async Task Should_retrieve_without_the_secret_delete_once_and_then_answer_404()
    {
        using var created = await CreateAsync("https://a.example/hook", null);
        var id = (await JsonAsync(created)).GetProperty("id").GetString();

        using var get = await SendAsync(HttpMethod.Get, $"/v1/webhook_endpoints/{id}", null, _key, null);
        using var delete = await SendAsync(HttpMethod.Delete, $"/v1/webhook_endpoints/{id}", null, _key, null);
        using var again = await SendAsync(HttpMethod.Delete, $"/v1/webhook_endpoints/{id}", null, _key, null);

        Assert.False((await JsonAsync(get)).TryGetProperty("secret", out _));
        var deleted = await JsonAsync(delete);
        Assert.Equal("webhook_endpoint", deleted.GetProperty("object").GetString());
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("resource_missing", (await JsonAsync(again)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Should_refuse_a_seventeenth_endpoint()
    {
        for (var i = 0; i < StripeWebhookEndpoints.MaxEndpointsPerAccount; i++)
        {
            using var ok = await CreateAsync($"https://a.example/hook/{i}", null);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await CreateAsync("https://a.example/hook/16", null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(StripeWebhookEndpoints.MaxEndpointsPerAccount, _stripe.WebhookEndpoints(_key).Count);
    }

    private Task<HttpResponseMessage> CreateAsync(string url, string? idempotencyKey) =>
        SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", Form(url), _key, idempotencyKey);

    private static FormUrlEncodedContent Form(string url) =>
        new([new("url", url), new("enabled_events[0]", Events[0]), new("enabled_events[1]", Events[1]), new("metadata[tenant_id]", "t-1")]);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string key, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(method, Url(path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await _http.SendAsync(request);
    }

    private Uri Url(string path) => new(_stripe.BaseAddress, path);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests;

/// <summary>
/// Every way <c>POST /api/v1/activate</c> can be refused before an activation exists: validation (400 with
/// <c>errors</c> keyed by snake_case field path), unreadable JSON (400), wrong media type (415), too large (413).
/// None of them may leave a tenant, a saga, an idempotency record or a tenant file behind.
/// </summary>
public sealed class When_the_input_is_invalid(When_the_input_is_invalid.SmallBodyLimitGatewayFactory factory)
    : IClassFixture<When_the_input_is_invalid.SmallBodyLimitGatewayFactory>
{
    private const int BodyLimit = 2048;

    private static readonly string[] RequiredFields = ["business_name", "region", "currency", "industry", "channels", "payments"];

    [Theory]
    [InlineData("business_name")]
    [InlineData("region")]
    [InlineData("currency")]
    [InlineData("industry")]
    [InlineData("channels")]
    [InlineData("payments")]
    public async Task Should_report_a_missing_required_field_under_its_name(string field)
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(ActivationBodies.Without(Valid(), field)));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([field], Responses.ErrorKeys(problem));
        Assert.EndsWith("/validation", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("currency", "\"XYZ\"", "currency")]
    [InlineData("region", "\"ZZ\"", "region")]
    [InlineData("industry", "\"mining\"", "industry")]
    [InlineData("channels", "[\"pigeon\"]", "channels[0]")]
    [InlineData("channels", "[]", "channels")]
    [InlineData("payments", "[\"bitcoin\"]", "payments[0]")]
    [InlineData("payments", "[\"stripe\",\"bitcoin\"]", "payments[1]")]
    [InlineData("domain", "\"not a domain\"", "domain")]
    [InlineData("admin_contact.email", "\"nope\"", "admin_contact.email")]
    [InlineData("products", "[{\"name\":\"Veg box\",\"price\":-1}]", "products[0].price")]
    [InlineData("products", "[{\"name\":\"Veg box\",\"price\":12.345}]", "products[0].price")]
    [InlineData("business_name", "\"x\"", "business_name")]
    public async Task Should_report_an_invalid_value_under_its_path(string member, string json, string expectedKey)
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(ActivationBodies.With(Valid(), member, JsonNode.Parse(json))));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([expectedKey], Responses.ErrorKeys(problem));
        Assert.NotEmpty(problem.GetProperty("errors").GetProperty(expectedKey).EnumerateArray());
    }

    [Fact]
    public async Task Should_report_every_error_of_an_all_wrong_body_at_once()
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(AllWrong()));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        var keys = Responses.ErrorKeys(problem);
        Assert.True(keys.Count >= 6, $"expected at least 6 error keys, got {string.Join(", ", keys)}");
        string[] expected = ["admin_contact.email", "business_name", "channels[0]", "currency", "domain", "industry", "payments[0]", "products[0].name", "products[0].price", "region"];
        Assert.Equal(expected, keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_report_every_required_field_of_an_empty_object()
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate("{}", "application/json"));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(RequiredFields.Order(StringComparer.Ordinal), Responses.ErrorKeys(problem).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("malformed", "invalid JSON")]
    [InlineData("unknown-member", "unknown member")]
    [InlineData("wrong-type", "wrong type")]
    [InlineData("null", "JSON null")]
    [InlineData("empty", "empty")]
    [InlineData("array", "wrong type")]
    [InlineData("trailing-comma", "invalid JSON")]
    public async Task Should_answer_400_for_a_body_that_is_not_a_readable_profile(string kind, string detailMentions)
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(UnreadableBody(kind), "application/json"));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.EndsWith("/malformed-json", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains(detailMentions, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Should_answer_415_for_a_non_json_media_type(string contentType)
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(Valid().ToJsonString(), contentType));

        // Refused by endpoint routing (the endpoint's Accepts metadata), before the endpoint's own check runs.
        await Responses.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Should_answer_415_without_a_content_type()
    {
        using var client = factory.CreateOperatorClient();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Valid().ToJsonString()));

        using var response = await client.SendAsync(Requests.ActivateRaw(content));

        await Responses.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Should_accept_a_json_media_type_with_a_suffix_and_charset()
    {
        using var client = factory.CreateOperatorClient();

        // A +json type with parameters is still JSON: the request gets as far as validation.
        using var response = await client.SendAsync(Requests.Activate(ActivationBodies.With(Valid(), "region", "ZZ").ToJsonString(), "application/vnd.bacbos+json; charset=utf-8"));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["region"], Responses.ErrorKeys(problem));
    }

    [Fact]
    public async Task Should_answer_413_for_a_body_over_the_limit_with_a_content_length()
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.Activate(PaddedBody(4096), "application/json"));

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(BodyLimit, problem.GetProperty("limit_bytes").GetInt32());
    }

    [Fact]
    public async Task Should_answer_413_for_a_streamed_body_over_the_limit()
    {
        using var client = factory.CreateOperatorClient();

        using var response = await client.SendAsync(Requests.ActivateRaw(new UnknownLengthContent(PaddedBody(4096))));

        await Responses.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Should_read_a_body_of_exactly_the_limit()
    {
        using var client = factory.CreateOperatorClient();

        // Exactly at the limit the body is read (and then refused for its content); one byte more is too large.
        using var atLimit = await client.SendAsync(Requests.Activate(PaddedBody(BodyLimit, region: "ZZ"), "application/json"));
        using var overLimit = await client.SendAsync(Requests.Activate(PaddedBody(BodyLimit + 1, region: "ZZ"), "application/json"));

        var problem = await Responses.ProblemAsync(atLimit, HttpStatusCode.BadRequest);
        Assert.Equal(["region"], Responses.ErrorKeys(problem));
        await Responses.ProblemAsync(overLimit, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Should_persist_nothing_for_any_refused_request()
    {
        using var client = factory.CreateOperatorClient();
        foreach (var (name, request, status) in RefusedRequests())
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                Assert.True(response.StatusCode == status, $"{name}: expected {(int)status}, got {(int)response.StatusCode}");
            }
        }

        await using (var db = await factory.OpenPlatformDatabaseAsync())
        {
            Assert.Equal(0, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM tenants"));
            Assert.Equal(0, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM saga_instances"));
            Assert.Equal(0, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM idempotency_keys"));
        }

        Assert.Empty(TenantFiles());

        // A valid activation afterwards is a barrier: once it completed, anything the refused requests had published
        // would have been consumed too. Only the barrier's own records may exist now.
        var barrier = await factory.ActivateSampleAsync("Barrier Bakery " + Guid.NewGuid().ToString("N")[..6]);
        await using (var db = await factory.OpenPlatformDatabaseAsync())
        {
            Assert.Equal(1, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM tenants"));
            Assert.Equal(1, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM saga_instances"));
            Assert.Equal(0, await EmbeddedGatewayFactory.ScalarAsync(db, "SELECT COUNT(*) FROM idempotency_keys"));
        }

        Assert.Equal([factory.TenantDatabaseFile(barrier.TenantId)], TenantFiles().Where(f => f.EndsWith(".db", StringComparison.Ordinal)));
    }

    private IReadOnlyList<string> TenantFiles() =>
        Directory.Exists(factory.TenantsDirectory) ? Directory.GetFiles(factory.TenantsDirectory, "*", SearchOption.AllDirectories) : [];

    /// <summary>One of each kind of refusal, each with an Idempotency-Key so a stray record would show.</summary>
    private static IEnumerable<(string Name, HttpRequestMessage Request, HttpStatusCode Status)> RefusedRequests()
    {
        string Key() => "refused-" + Guid.NewGuid().ToString("N");
        foreach (var field in RequiredFields)
        {
            yield return ($"missing {field}", Requests.Activate(ActivationBodies.Without(Valid(), field), Key()), HttpStatusCode.BadRequest);
        }

        yield return ("all wrong", Requests.Activate(AllWrong(), Key()), HttpStatusCode.BadRequest);
        yield return ("empty object", Requests.Activate("{}", "application/json", Key()), HttpStatusCode.BadRequest);
        foreach (var kind in new[] { "malformed", "unknown-member", "wrong-type", "null", "empty", "array", "trailing-comma" })
        {
            yield return (kind, Requests.Activate(UnreadableBody(kind), "application/json", Key()), HttpStatusCode.BadRequest);
        }

        yield return ("text/plain", Requests.Activate(Valid().ToJsonString(), "text/plain", Key()), HttpStatusCode.UnsupportedMediaType);
        yield return ("too large", Requests.Activate(PaddedBody(4096), "application/json", Key()), HttpStatusCode.RequestEntityTooLarge);
        yield return ("too large, streamed", Requests.ActivateRaw(new UnknownLengthContent(PaddedBody(4096)), Key()), HttpStatusCode.RequestEntityTooLarge);
        yield return ("bad idempotency key", Requests.Activate(Valid(), new string('k', 300)), HttpStatusCode.BadRequest);
    }

    private static JsonObject Valid() => ActivationBodies.Valid("Lagos Fresh Foods");

    private static JsonObject AllWrong() => new()
    {
        ["business_name"] = " ",
        ["region"] = "ZZ",
        ["currency"] = "XYZ",
        ["industry"] = "mining",
        ["channels"] = new JsonArray("pigeon"),
        ["payments"] = new JsonArray("bitcoin"),
        ["domain"] = "not a domain",
        ["admin_contact"] = new JsonObject { ["name"] = "Ada", ["email"] = "nope" },
        ["products"] = new JsonArray(new JsonObject { ["name"] = "", ["price"] = -5 }),
    };

    private static string UnreadableBody(string kind) => kind switch
    {
        "malformed" => "{\"business_name\": \"Lagos Fresh Foods\", \"region\": ",
        "unknown-member" => ActivationBodies.With(Valid(), "colour", "green").ToJsonString(),
        "wrong-type" => ActivationBodies.With(Valid(), "channels", "email").ToJsonString(),
        "null" => "null",
        "empty" => string.Empty,
        "array" => "[" + Valid().ToJsonString() + "]",
        "trailing-comma" => Valid().ToJsonString()[..^1] + ",}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A well-formed profile padded with trailing whitespace to exactly <paramref name="bytes"/> bytes.</summary>
    private static string PaddedBody(int bytes, string region = "NG")
    {
        var json = ActivationBodies.With(Valid(), "region", region).ToJsonString();
        var length = Encoding.UTF8.GetByteCount(json);
        Assert.True(length < bytes, "the sample body is already larger than the padding target");
        return json + new string(' ', bytes - length);
    }

    /// <summary>JSON content without a Content-Length, so the limit must be enforced while reading.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthContent(string text)
        {
            _bytes = Encoding.UTF8.GetBytes(text);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            // Written in pieces, as a client streaming a body would.
            for (var offset = 0; offset < _bytes.Length; offset += 512)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(512, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>The embedded gateway with a 2 KiB activation body limit.</summary>
    public sealed class SmallBodyLimitGatewayFactory()
        : EmbeddedGatewayFactory(NewDataDirectory(), ownsDirectory: true, new Dictionary<string, string?> { ["Gateway:MaxActivationBodyBytes"] = BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}

using System.Net;
using System.Text.Json;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests;

/// <summary>Health, metrics, the OpenAPI document and the API reference: anonymous, and what operators and tools expect.</summary>
public sealed class When_reading_operational_endpoints(EmbeddedGatewayFactory factory) : IClassFixture<EmbeddedGatewayFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Should_report_healthy_without_a_credential(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateObject().Select(c => c.Name).ToList();
        Assert.Equal(path == "/health/ready" ? ["database", "masstransit-bus"] : ["bus-liveness"], checks.Order());
    }

    [Fact]
    public async Task Should_report_not_ready_when_the_database_is_gone()
    {
        // The readiness check must really touch the database: point a gateway at a data directory and then
        // replace the database file with a directory of the same name.
        await using var broken = EmbeddedGatewayFactory.WithSettings(new Dictionary<string, string?>());
        using var client = broken.CreateClient();
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(broken.PlatformDatabaseFile + suffix);
        }

        Directory.CreateDirectory(broken.PlatformDatabaseFile);

        using var notReady = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var report = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.DoesNotContain("   at ", report.ToString(), StringComparison.Ordinal); // no stack trace on the wire
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Should_expose_prometheus_metrics()
    {
        using var client = factory.CreateClient();
        using (await client.GetAsync("/health/live"))
        {
            // One request first, so the HTTP server metrics have something to report.
        }

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_publish_an_openapi_document_with_snake_case_schemas()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await Responses.JsonAsync(response);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/activate", out var activate), "the document has no /api/v1/activate");
        Assert.True(activate.TryGetProperty("post", out _), "/api/v1/activate has no POST operation");
        Assert.True(paths.TryGetProperty("/api/v1/activations/{id}", out _), "the document has no /api/v1/activations/{id}");
        Assert.True(paths.TryGetProperty("/api/v1/tenants/me", out _), "the document has no /api/v1/tenants/me");

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var input = schemas.GetProperty("BusinessActivationInput").GetProperty("properties");
        Assert.True(input.TryGetProperty("business_name", out _), "BusinessActivationInput has no business_name");
        Assert.True(input.TryGetProperty("admin_contact", out _), "BusinessActivationInput has no admin_contact");
        Assert.False(input.TryGetProperty("businessName", out _), "BusinessActivationInput still has camelCase members");
        var properties = schemas.EnumerateObject()
            .Where(s => s.Value.TryGetProperty("properties", out _))
            .SelectMany(s => s.Value.GetProperty("properties").EnumerateObject().Select(p => $"{s.Name}.{p.Name}"))
            .ToList();
        Assert.NotEmpty(properties);
        Assert.All(properties, p => Assert.Matches("^[A-Za-z0-9]+\\.[a-z0-9_]+$", p));
    }

    [Fact]
    public async Task Should_serve_the_api_reference()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        // Scalar resolves the document URL against the site root, so it must name the document the gateway serves.
        Assert.Contains("\"url\":\"openapi/v1.json\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_keep_the_api_closed_while_the_operational_endpoints_are_open()
    {
        using var client = factory.CreateClient();

        using var api = await client.GetAsync("/api/v1/activations");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(JsonValueKind.Object, (await Responses.JsonAsync(api)).ValueKind);
    }
}

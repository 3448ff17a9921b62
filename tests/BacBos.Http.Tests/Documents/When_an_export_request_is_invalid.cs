using System.Net;
using System.Text.Json;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Documents;

/// <summary>Bad export requests get precise problem+json and start nothing; other tenants' documents and exports are 404.</summary>
public sealed class When_an_export_request_is_invalid(ExportGateway gateway) : IClassFixture<ExportGateway>
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(HttpClient Client, Guid DocumentId)> OwnDocumentAsync()
    {
        var tenant = await gateway.SharedActivationAsync();
        return (gateway.CreateClientWith(tenant.ApiKey), gateway.Documents.Add(tenant.TenantId, "Mine", "# Mine\n").DocumentId);
    }

    [Fact]
    public async Task Should_answer_422_listing_the_allowed_formats_for_an_unknown_one()
    {
        var (client, documentId) = await OwnDocumentAsync();
        using var response = await client.SendAsync(ExportGateway.Export(documentId, """{"format":"odt"}"""));

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.EndsWith("/unsupported-export-format", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(["pdf", "docx", "html"], problem.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("'odt'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "application/json", HttpStatusCode.BadRequest, "format")]
    [InlineData("""{"format":"  "}""", "application/json", HttpStatusCode.BadRequest, "format")]
    [InlineData("""{"format":"pdf","pages":3}""", "application/json", HttpStatusCode.BadRequest, "unknown member")]
    [InlineData("""{"format":42}""", "application/json", HttpStatusCode.BadRequest, "wrong type")]
    [InlineData("{ not json", "application/json", HttpStatusCode.BadRequest, "invalid JSON")]
    [InlineData("format=pdf", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "application/json")]
    public async Task Should_name_what_is_wrong_with_the_body(string body, string contentType, HttpStatusCode status, string mentioned)
    {
        var (client, documentId) = await OwnDocumentAsync();
        using var response = await client.SendAsync(ExportGateway.Export(documentId, body, contentType: contentType));

        var problem = await ProblemAsync(response, status);
        Assert.Contains(mentioned, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_document_and_for_another_tenants_document_and_export()
    {
        var (owner, documentId) = await OwnDocumentAsync();
        var exportId = (await ExportGateway.AcceptedAsync(owner, documentId, "html")).GetProperty("export_id").GetGuid();
        var other = await gateway.ActivateSampleAsync("Other Exports " + Guid.NewGuid().ToString("N")[..8]);
        using var stranger = gateway.CreateClientWith(other.ApiKey);

        using var unknown = await owner.SendAsync(ExportGateway.Export(Guid.NewGuid(), """{"format":"pdf"}"""));
        using var foreignDocument = await stranger.SendAsync(ExportGateway.Export(documentId, """{"format":"pdf"}"""));
        using var foreignExport = await stranger.GetAsync($"/api/v1/documents/{documentId}/exports/{exportId}");
        using var wrongDocument = await owner.GetAsync($"/api/v1/documents/{Guid.NewGuid()}/exports/{exportId}");

        await ProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAsync(foreignDocument, HttpStatusCode.NotFound);
        var problem = await ProblemAsync(foreignExport, HttpStatusCode.NotFound);
        Assert.DoesNotContain("Mine", problem.ToString(), StringComparison.Ordinal);
        await ProblemAsync(wrongDocument, HttpStatusCode.NotFound);
        owner.Dispose();
    }

    [Fact]
    public async Task Should_require_a_tenant_key()
    {
        var (_, documentId) = await OwnDocumentAsync();
        using var anonymous = gateway.CreateClient();
        using var operatorClient = gateway.CreateOperatorClient();

        using var noKey = await anonymous.SendAsync(ExportGateway.Export(documentId, """{"format":"pdf"}"""));
        using var operatorKey = await operatorClient.SendAsync(ExportGateway.Export(documentId, """{"format":"pdf"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, operatorKey.StatusCode);
    }
}

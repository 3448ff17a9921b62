using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// The documents REST API: create (with version 1), read, list with paging, rename, soft delete, versions; precise
/// problems for bad input (400, 413, 415, 422) that write nothing; another tenant's ids are not found.
/// </summary>
[Collection(DocumentsCollection.Name)]
public sealed class When_managing_documents_over_rest(DocumentsGateway gateway)
{
    [Fact]
    public async Task A_document_should_be_created_read_listed_renamed_and_deleted()
    {
        using var tenant = await gateway.NewTenantAsync("Document Keeper");
        var created = await tenant.Api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/documents", new JsonObject { ["title"] = "  Plan  ", ["content"] = "# Plan\n\n- one 😀\n" });
        var id = created.GetProperty("id").GetGuid();
        await tenant.CreateAsync("Second", "");
        await tenant.CreateAsync("Third", "3");

        Assert.Equal("Plan", created.GetProperty("title").GetString());
        Assert.Equal(0, created.GetProperty("revision").GetInt64());
        Assert.Equal(16, created.GetProperty("length").GetInt32());
        var version = await tenant.Api.GetAsync($"/api/v1/documents/{id:D}/versions/1");
        Assert.Equal("created", version.GetProperty("reason").GetString());
        Assert.Equal("# Plan\n\n- one 😀\n", version.GetProperty("content").GetString());

        var page = await tenant.Api.GetAsync("/api/v1/documents?page_size=2&sort=title");
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(["Plan", "Second"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList());
        Assert.False(page.GetProperty("items")[0].TryGetProperty("content", out _));
        Assert.Contains("page=2", page.GetProperty("next").GetString(), StringComparison.Ordinal);

        var renamed = await tenant.Api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/api/v1/documents/{id:D}", new JsonObject { ["title"] = "Plan B" });
        Assert.Equal("Plan B", renamed.GetProperty("title").GetString());
        Assert.Equal("# Plan\n\n- one 😀\n", renamed.GetProperty("content").GetString());

        await tenant.Api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/documents/{id:D}");
        await tenant.Api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/documents/{id:D}");
        await tenant.Api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/api/v1/documents/{id:D}");
        await tenant.Api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/documents/{id:D}/versions");
        Assert.Equal(2, (await tenant.Api.GetAsync("/api/v1/documents")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Deleting_a_document_should_disconnect_its_editors()
    {
        using var tenant = await gateway.NewTenantAsync("Document Remover");
        var id = await tenant.CreateAsync("Doomed", "x");
        await using var editor = await tenant.ConnectAsync(id);

        await tenant.Api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/v1/documents/{id:D}");

        await Eventually.MatchAsync(() => Task.FromResult(editor.CloseStatus), s => s is not null, TimeSpan.FromSeconds(10), "the editor disconnected");
        Assert.Equal(4404, (int)editor.CloseStatus!.Value);
    }

    public static TheoryData<string, string, int, string> BadBodies() => new()
    {
        { "POST", """{"content":"x"}""", 400, "title" },
        { "POST", """{"title":"   "}""", 400, "title" },
        { "POST", """{"title":"a\nb"}""", 400, "title" },
        { "POST", $$"""{"title":"{{new string('t', 201)}}"}""", 400, "title" },
        { "POST", """{"title":"x","content":"\ud800"}""", 400, "content" },
        { "POST", """{"title":"x","colour":"red"}""", 400, "unknown member" },
        { "POST", """{"title":"x","content":5}""", 400, "wrong type" },
        { "POST", """{"title":""", 400, "invalid JSON" },
        { "POST", $$"""{"title":"x","content":"{{new string('a', DocumentsGateway.MaxDocumentLength + 1)}}"}""", 422, "document-too-large" },
        { "PATCH", """{"title":null}""", 400, "title" },
        { "PATCH", """{"content":"sneaky"}""", 400, "unknown member" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_should_answer_a_precise_problem_and_write_nothing(string method, string body, int status, string mentioned)
    {
        using var tenant = await gateway.NewTenantAsync("Careless Keeper");
        var id = await tenant.CreateAsync("Kept", "kept");
        var path = method == "POST" ? "/api/v1/documents" : $"/api/v1/documents/{id:D}";

        using var response = await tenant.Api.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

        var problem = await Responses.ProblemAsync(response, (HttpStatusCode)status);
        Assert.Contains(mentioned, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, (await tenant.Api.GetAsync("/api/v1/documents")).GetProperty("total").GetInt64());
        Assert.Equal("Kept", (await tenant.GetAsync(id)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_body_past_the_size_limit_or_not_json_should_be_refused()
    {
        using var tenant = await gateway.NewTenantAsync("Oversized Keeper");
        var huge = $$"""{"title":"x","content":"{{new string('a', (DocumentsGateway.MaxDocumentLength * 12) + (64 * 1024))}}"}""";

        using var tooLarge = await tenant.Api.Http.PostAsync("/api/v1/documents", new StringContent(huge, Encoding.UTF8, "application/json"));
        using var notJson = await tenant.Api.Http.PostAsync("/api/v1/documents", new StringContent("title=x", Encoding.UTF8, "text/plain"));

        await Responses.ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        await Responses.ProblemAsync(notJson, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, (await tenant.Api.GetAsync("/api/v1/documents")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Another_tenant_s_ids_should_not_be_found()
    {
        using var owner = await gateway.NewTenantAsync("Document Owner");
        using var other = await gateway.NewTenantAsync("Document Other");
        var id = await owner.CreateAsync("Zebedee secret", "Zebedee content");

        foreach (var (method, path, body) in new (string, string, JsonNode?)[]
        {
            ("GET", $"/api/v1/documents/{id:D}", null),
            ("PATCH", $"/api/v1/documents/{id:D}", new JsonObject { ["title"] = "mine" }),
            ("DELETE", $"/api/v1/documents/{id:D}", null),
            ("GET", $"/api/v1/documents/{id:D}/versions", null),
            ("GET", $"/api/v1/documents/{id:D}/versions/1", null),
            ("POST", $"/api/v1/documents/{id:D}/versions/1/restore", null),
            ("POST", $"/api/v1/documents/{id:D}/session-tokens", null),
        })
        {
            using var response = await other.Api.SendAsync(new HttpMethod(method), path, body);
            var text = await response.Content.ReadAsStringAsync();
            await Responses.ProblemAsync(response, HttpStatusCode.NotFound);
            Assert.DoesNotContain("Zebedee", text, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await other.Api.GetAsync("/api/v1/documents")).GetProperty("total").GetInt64());
        Assert.Equal("Zebedee secret", (await owner.GetAsync(id)).GetProperty("title").GetString());
        using var operatorClient = gateway.CreateOperatorClient();
        using var forbidden = await operatorClient.GetAsync("/api/v1/documents");
        await Responses.ProblemAsync(forbidden, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unknown_versions_and_bad_paging_should_answer_problems()
    {
        using var tenant = await gateway.NewTenantAsync("Version Seeker");
        var id = await tenant.CreateAsync("Versions", "v");

        await tenant.Api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/documents/{id:D}/versions/9");
        await tenant.Api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/v1/documents/{id:D}/versions/9/restore");
        await tenant.Api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/v1/documents?page_size=0");
        await tenant.Api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/v1/documents?sort=colour");
        await tenant.Api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/api/v1/documents/{id:D}/versions?page=0");
        await tenant.Api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/documents/{Guid.NewGuid():D}");
    }
}

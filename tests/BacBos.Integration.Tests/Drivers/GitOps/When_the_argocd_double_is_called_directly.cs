using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers.GitOps;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Doubles.ArgoCd;

namespace BacBos.Integration.Tests.Drivers.GitOps;

/// <summary>The ArgoCD double answers like the real API server where a client can tell (status codes, error shapes, validation).</summary>
public sealed class When_the_argocd_double_is_called_directly : IAsyncLifetime, IDisposable
{
    private const string Repo = "https://git.example.com/gitops.git";
    private ArgoCdApiDouble _argo = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _argo = await ArgoCdApiDouble.StartAsync("t0ken", [new ArgoCdProject("tenants", [Repo], [new ArgoCdDestination("https://kubernetes.default.svc", "tenant-*")])]);
        _http = new HttpClient { BaseAddress = _argo.Server };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t0ken");
    }

    public async Task DisposeAsync() => await _argo.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Should_require_the_bearer_token()
    {
        using var anonymous = new HttpClient { BaseAddress = _argo.Server };
        var (status, body) = await SendAsync(anonymous, HttpMethod.Get, "/api/v1/applications");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(16, body!["code"]!.GetValue<int>());
        Assert.Equal("no session information", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_answer_404_in_the_gateway_error_shape()
    {
        var (status, body) = await SendAsync(_http, HttpMethod.Get, "/api/v1/applications/nope");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(5, body!["code"]!.GetValue<int>());
        Assert.Equal("applications.argoproj.io \"nope\" not found", body["message"]!.GetValue<string>());
        Assert.Equal(body["message"]!.GetValue<string>(), body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_refuse_a_changed_spec_without_upsert_and_accept_an_identical_one()
    {
        var app = Application("tenant-a-crm", "tenant-a", "main");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_http, HttpMethod.Post, "/api/v1/applications", app)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_http, HttpMethod.Post, "/api/v1/applications", app)).Status);

        var (status, body) = await SendAsync(_http, HttpMethod.Post, "/api/v1/applications", Application("tenant-a-crm", "tenant-a", "release"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(3, body!["code"]!.GetValue<int>());
        Assert.Equal("existing application spec is different, use upsert flag to force update", body["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_http, HttpMethod.Post, "/api/v1/applications?upsert=true", Application("tenant-a-crm", "tenant-a", "release"))).Status);
        Assert.Equal("release", _argo.Applications["tenant-a-crm"]["spec"]!["source"]!["targetRevision"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Tenant_A", "tenant-a", Repo, "main", "metadata.name")]
    [InlineData("tenant-a-crm", "kube-system", Repo, "main", "do not match any of the allowed destinations")]
    [InlineData("tenant-a-crm", "tenant-a", "https://evil.example.com/x.git", "main", "is not permitted in project 'tenants'")]
    [InlineData("tenant-a-crm", "tenant-a", Repo, "", "targetRevision")]
    [InlineData("tenant-a-crm", "", Repo, "main", "spec.destination.namespace is required")]
    public async Task Should_reject_invalid_applications(string name, string ns, string repo, string revision, string expected)
    {
        var (status, body) = await SendAsync(_http, HttpMethod.Post, "/api/v1/applications?upsert=true", Application(name, ns, revision, repo));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_argo.Applications);
    }

    [Fact]
    public async Task Should_refuse_a_second_sync_while_one_runs_and_report_progress()
    {
        _argo.GetsUntilHealthy = 2;
        await SendAsync(_http, HttpMethod.Post, "/api/v1/applications", Application("tenant-a-crm", "tenant-a", "main"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_http, HttpMethod.Post, "/api/v1/applications/tenant-a-crm/sync", new JsonObject { ["revision"] = "abc" })).Status);

        var (status, body) = await SendAsync(_http, HttpMethod.Post, "/api/v1/applications/tenant-a-crm/sync", new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(9, body!["code"]!.GetValue<int>());

        var first = (await SendAsync(_http, HttpMethod.Get, "/api/v1/applications/tenant-a-crm")).Body!;
        var second = (await SendAsync(_http, HttpMethod.Get, "/api/v1/applications/tenant-a-crm")).Body!;
        Assert.Equal("Progressing", first["status"]!["health"]!["status"]!.GetValue<string>());
        Assert.Equal("Running", first["status"]!["operationState"]!["phase"]!.GetValue<string>());
        Assert.Equal("Healthy", second["status"]!["health"]!["status"]!.GetValue<string>());
        Assert.Equal("Synced", second["status"]!["sync"]!["status"]!.GetValue<string>());
        Assert.Equal("abc", second["status"]!["sync"]!["revision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_list_by_label_selector_and_delete()
    {
        await SendAsync(_http, HttpMethod.Post, "/api/v1/applications", Application("tenant-a-crm", "tenant-a", "main"));
        await SendAsync(_http, HttpMethod.Post, "/api/v1/applications", Application("tenant-b-crm", "tenant-b", "main"));

        var listed = (await SendAsync(_http, HttpMethod.Get, "/api/v1/applications?selector=" + Uri.EscapeDataString("bacbos.io/tenant-id=tenant-a"))).Body!;
        Assert.Equal(["tenant-a-crm"], listed["items"]!.AsArray().Select(a => a!["metadata"]!["name"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_http, HttpMethod.Delete, "/api/v1/applications/tenant-a-crm?cascade=true")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(_http, HttpMethod.Delete, "/api/v1/applications/tenant-a-crm?cascade=true")).Status);
        Assert.Equal(["tenant-b-crm"], _argo.Applications.Keys);
    }

    [Fact]
    public async Task Should_be_reached_over_tls_only_when_verification_is_skipped()
    {
        await using var https = await ArgoCdApiDouble.StartAsync("t0ken", [], https: true);
        var options = new ArgoCdOptions { Server = https.Server.ToString(), Token = "t0ken" };

        using (var strict = new ArgoCdClient(options))
        {
            var error = await Assert.ThrowsAsync<PermanentStepException>(() => strict.ListAsync("a=b", CancellationToken.None));
            Assert.Contains("TLS certificate", error.Message, StringComparison.Ordinal);
        }

        options.InsecureSkipVerify = true;
        using var relaxed = new ArgoCdClient(options);
        Assert.Empty(await relaxed.ListAsync("a=b", CancellationToken.None));
        Assert.Equal("https", https.Server.Scheme);
    }

    private static JsonObject Application(string name, string ns, string revision, string repo = Repo) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["bacbos.io/tenant-id"] = ns } },
        ["spec"] = new JsonObject
        {
            ["project"] = "tenants",
            ["source"] = new JsonObject { ["repoURL"] = repo, ["path"] = $"tenants/{ns}/services/crm", ["targetRevision"] = revision },
            ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = ns },
        },
    };

    private static async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(HttpClient http, HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }
}

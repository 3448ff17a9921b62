using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>The double keeps the API server's protocol: status codes, Status bodies, apply rules, guards.</summary>
public sealed class When_the_kubernetes_api_double_is_called_directly(KubernetesApiFixture fixture) : IClassFixture<KubernetesApiFixture>
{
    private KubernetesApiDouble Api => fixture.Api;

    [Fact]
    public async Task Should_answer_a_missing_object_with_a_not_found_status()
    {
        using var http = Client();

        var response = await http.GetAsync(new Uri(Api.Url, "/apis/networking.k8s.io/v1/namespaces/nowhere/networkpolicies/nothing"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal(404, status["code"]!.GetValue<int>());
        Assert.Equal("networkpolicies.networking.k8s.io \"nothing\" not found", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_require_the_bearer_token()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(Api.Url, "/api/v1/namespaces"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Should_require_a_field_manager_and_the_apply_content_type()
    {
        using var http = Client();
        var body = NamespaceBody("needs-manager");

        var withoutManager = await http.PatchAsync(new Uri(Api.Url, "/api/v1/namespaces/needs-manager"), Content(body, KubernetesApiDouble.ApplyPatchContentType));
        var mergePatch = await http.PatchAsync(new Uri(Api.Url, "/api/v1/namespaces/needs-manager?fieldManager=t"), Content(body, "application/merge-patch+json"));

        Assert.Equal(HttpStatusCode.BadRequest, withoutManager.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, mergePatch.StatusCode);
        Assert.Null(Api.NamespacePhase("needs-manager"));
    }

    [Fact]
    public async Task Should_accept_yaml_apply_bodies_and_bump_the_version_only_on_change()
    {
        using var http = Client();
        var uri = new Uri(Api.Url, "/api/v1/namespaces/yaml-apply?fieldManager=t");
        const string yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: yaml-apply\n  labels:\n    team: a\n";

        var created = await http.PatchAsync(uri, Content(yaml, KubernetesApiDouble.ApplyPatchContentType));
        var same = await http.PatchAsync(uri, Content(yaml, KubernetesApiDouble.ApplyPatchContentType));
        var changed = await http.PatchAsync(uri, Content(yaml.Replace("team: a", "team: b", StringComparison.Ordinal), KubernetesApiDouble.ApplyPatchContentType));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK), (created.StatusCode, same.StatusCode, changed.StatusCode));
        var versions = new List<string>();
        foreach (var response in new[] { created, same, changed })
        {
            versions.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!.GetValue<string>());
        }

        Assert.Equal(versions[0], versions[1]);
        Assert.NotEqual(versions[1], versions[2]);
    }

    [Fact]
    public async Task Should_answer_conflict_when_creating_an_existing_object()
    {
        using var http = Client();
        var body = NamespaceBody("created-twice");

        var first = await http.PostAsync(new Uri(Api.Url, "/api/v1/namespaces"), Content(body, "application/json"));
        var second = await http.PostAsync(new Uri(Api.Url, "/api/v1/namespaces"), Content(body, "application/json"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("AlreadyExists", JsonNode.Parse(await second.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_refuse_objects_in_a_namespace_that_does_not_exist()
    {
        using var client = KubernetesClient();
        var account = new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = "sa", NamespaceProperty = "missing-ns" } };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.PatchNamespacedServiceAccountAsync(new V1Patch(account, V1Patch.PatchType.ApplyPatch), "sa", "missing-ns", fieldManager: "t", force: true));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Contains("namespaces \\\"missing-ns\\\" not found", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_forbid_cluster_scoped_rbac_to_tenant_drivers()
    {
        using var client = KubernetesClient();
        var role = new V1ClusterRole
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRole",
            Metadata = new V1ObjectMeta { Name = "tenant-admin" },
            Rules = [new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }],
        };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.RbacAuthorizationV1.PatchClusterRoleAsync(new V1Patch(role, V1Patch.PatchType.ApplyPatch), "tenant-admin", fieldManager: "bacbos", force: true));

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.DoesNotContain(Api.Objects, o => o.Resource.Kind == "ClusterRole");
    }

    [Fact]
    public async Task Should_reject_a_body_that_does_not_match_the_url()
    {
        using var http = Client();

        var response = await http.PatchAsync(
            new Uri(Api.Url, "/api/v1/namespaces/other-name?fieldManager=t"),
            Content(NamespaceBody("this-name"), KubernetesApiDouble.ApplyPatchContentType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Should_reject_invalid_names_and_label_values()
    {
        using var http = Client();

        var badName = await http.PatchAsync(new Uri(Api.Url, "/api/v1/namespaces/Bad_Name?fieldManager=t"), Content(NamespaceBody("Bad_Name"), KubernetesApiDouble.ApplyPatchContentType));
        var badLabel = await http.PatchAsync(
            new Uri(Api.Url, "/api/v1/namespaces/bad-label?fieldManager=t"),
            Content("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bad-label","labels":{"x":"has spaces"}}}""", KubernetesApiDouble.ApplyPatchContentType));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badName.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badLabel.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_only_the_rejected_kind_and_only_while_the_rejection_holds()
    {
        using var http = Client();
        const string account = """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"rejecting"}}""";
        var accountUri = new Uri(Api.Url, "/api/v1/namespaces/rejecting/serviceaccounts/sa?fieldManager=t");

        HttpResponseMessage other, refused;
        using (Api.Reject("PATCH", "serviceaccounts", "metadata.name", "denied by policy"))
        {
            other = await http.PatchAsync(new Uri(Api.Url, "/api/v1/namespaces/rejecting?fieldManager=t"), Content(NamespaceBody("rejecting"), KubernetesApiDouble.ApplyPatchContentType));
            refused = await http.PatchAsync(accountUri, Content(account, KubernetesApiDouble.ApplyPatchContentType));
        }

        var after = await http.PatchAsync(accountUri, Content(account, KubernetesApiDouble.ApplyPatchContentType));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity, HttpStatusCode.Created), (other.StatusCode, refused.StatusCode, after.StatusCode));
        var status = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Equal("ServiceAccount \"sa\" is invalid: metadata.name: denied by policy", status["message"]!.GetValue<string>());
    }

    private HttpClient Client()
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Api.Token);
        return http;
    }

    private k8s.Kubernetes KubernetesClient() => new(new KubernetesClientConfiguration { Host = Api.Url.ToString(), AccessToken = Api.Token });

    private static string NamespaceBody(string name) =>
        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }.ToJsonString();

    private static StringContent Content(string body, string mediaType) => new(body, Encoding.UTF8, mediaType);
}

using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BacBos.Integration.Tests.Doubles.KubernetesApi;

/// <summary>One request the double received (recorded before authentication, with the status it answered).</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body, int Status);

/// <summary>
/// A Kubernetes API server double for the tenant drivers, in process on Kestrel (plain HTTP on a free loopback port).
/// It serves the REST paths KubernetesClient calls (<c>/api/v1/…</c>, <c>/apis/{group}/{version}/…</c>, namespaced
/// and cluster-scoped) for the kinds in <see cref="ApiResources"/>, requires the bearer token, answers failures
/// with <c>Status</c> objects, implements server-side apply (content type <c>application/apply-patch+yaml</c>,
/// <c>fieldManager</c> required, created when absent, resourceVersion bumped only on a real change), POST (409
/// AlreadyExists), DELETE (a namespace terminates first, then disappears with its content after
/// <see cref="NamespaceTerminationDelay"/>), and refuses cluster-scoped RBAC with 403. Tests inspect what it stored
/// and what it received.
/// </summary>
public sealed class KubernetesApiDouble : IAsyncDisposable
{
    public const string ApplyPatchContentType = "application/apply-patch+yaml";

    /// <summary>The API server escapes only what JSON requires (<c>\"</c>, not <c>\u0022</c>).</summary>
    private static readonly JsonSerializerOptions WireJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly ApiObjectStore _store = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<KubeStatusException> _injectedFailures = new();
    private readonly ConcurrentDictionary<Guid, (string Method, string Plural, string Field, string Problem)> _rejections = new();
    private readonly CancellationTokenSource _stopping = new();

    private KubernetesApiDouble(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>The bearer token every request must carry.</summary>
    public string Token { get; }

    /// <summary>How long a deleted namespace stays Terminating. <see cref="Timeout.InfiniteTimeSpan"/>: until <see cref="FinishTermination"/>.</summary>
    public TimeSpan NamespaceTerminationDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<KubernetesApiDouble> StartAsync(string? token = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new KubernetesApiDouble(app, token ?? $"k8s-double-{Guid.NewGuid():N}");
        app.Run(api.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Url = new Uri(address);
        return api;
    }

    /// <summary>
    /// The configuration keys that point the Kubernetes drivers at this double (short deletion wait and polling, so a
    /// test's compensation finishes quickly).
    /// </summary>
    public IReadOnlyDictionary<string, string?> Configuration(string ingressNamespace = "platform-ingress") => new Dictionary<string, string?>
    {
        ["Drivers:Kubernetes:Server"] = Url.ToString(),
        ["Drivers:Kubernetes:Token"] = Token,
        ["Drivers:Kubernetes:IngressNamespace"] = ingressNamespace,
        ["Drivers:Kubernetes:NamespaceDeletionTimeout"] = "00:00:10",
        ["Drivers:Kubernetes:PollInterval"] = "00:00:00.050",
    };

    /// <summary>The next <paramref name="count"/> authenticated requests fail with this status.</summary>
    public void FailNext(int count, int code, string reason, string message)
    {
        for (var i = 0; i < count; i++)
        {
            _injectedFailures.Enqueue(new KubeStatusException(code, reason, message));
        }
    }

    /// <summary>
    /// Until the returned handle is disposed, every <paramref name="method"/> request on <paramref name="plural"/> is
    /// refused with <c>422 Invalid</c>, as the API server's schema validation refuses an object it cannot accept. Unlike
    /// <see cref="FailNext"/> it hits one kind of object only, so an end-to-end test can fail exactly one step.
    /// </summary>
    public IDisposable Reject(string method, string plural, string field, string problem)
    {
        var id = Guid.NewGuid();
        _rejections[id] = (method, plural, field, problem);
        return new Rejection(() => _rejections.TryRemove(id, out _));
    }

    public void ClearRequests() => _requests.Clear();

    /// <summary>The stored object as the API would serve it, or null.</summary>
    public JsonObject? Get(string plural, string? ns, string name) => _store.Find(ApiResources.ByPlural(plural), ns, name)?.Render();

    /// <summary>The stored object read into a KubernetesClient model, or null.</summary>
    public T? Get<T>(string plural, string? ns, string name)
        where T : class =>
        Get(plural, ns, name) is { } json ? KubernetesJson.Deserialize<T>(json.ToJsonString()) : null;

    /// <summary>Every stored object (namespaces included), e.g. for "exactly these objects" assertions.</summary>
    public IReadOnlyList<StoredObject> Objects => _store.All();

    public IReadOnlyList<StoredObject> ObjectsIn(string ns) => _store.All().Where(o => o.Namespace == ns).ToList();

    /// <summary><c>Active</c>, <c>Terminating</c>, or null when the namespace does not exist.</summary>
    public string? NamespacePhase(string ns) => Get("namespaces", null, ns)?["status"]?["phase"]?.GetValue<string>();

    /// <summary>Completes a namespace's termination now (for tests that hold it with an infinite delay).</summary>
    public bool FinishTermination(string ns) => _store.Purge(ns);

    /// <summary>What a controller would write into an object's status (e.g. cert-manager's Ready condition).</summary>
    public void SetStatus(string plural, string ns, string name, JsonObject status) => _store.SetStatus(ApiResources.ByPlural(plural), ns, name, status);

    /// <summary>Creates or replaces an object as another field manager would (e.g. the namespace a test needs).</summary>
    public JsonObject Seed(string plural, string? ns, JsonObject body, string manager = "test-seed") =>
        _store.Apply(ApiResources.ByPlural(plural), ns, body["metadata"]!["name"]!.GetValue<string>(), body, manager, force: true).Object;

    /// <summary>
    /// Everything still on the "cluster" for a tenant: its namespace (in any phase), objects in it, and objects
    /// elsewhere labelled with its id. Empty means compensation left nothing behind.
    /// </summary>
    public IReadOnlyList<string> LeftoversFor(Guid tenantId)
    {
        var ns = $"tenant-{tenantId:N}";
        var id = tenantId.ToString("D");
        return _store.All()
            .Where(o => o.Namespace == ns
                        || (o.Resource.Kind == "Namespace" && o.Name == ns)
                        || o.Applied["metadata"]?["labels"]?["bacbos.io/tenant-id"]?.GetValue<string>() == id)
            .Select(o => $"{o.Resource.Kind}/{o.Name}{(o.Namespace is null ? string.Empty : " in " + o.Namespace)}")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        int status;
        JsonNode response;
        try
        {
            (status, response) = Dispatch(request, body);
        }
        catch (KubeStatusException ex)
        {
            (status, response) = (ex.Code, ex.ToStatus());
        }

        _requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty, request.ContentType, body, status));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(WireJson), context.RequestAborted);
    }

    private (int Status, JsonNode Body) Dispatch(HttpRequest request, string body)
    {
        if (request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            throw new KubeStatusException(401, "Unauthorized", "Unauthorized");
        }

        if (_injectedFailures.TryDequeue(out var injected))
        {
            throw injected;
        }

        var route = ApiRoute.Parse(request.Path.Value ?? string.Empty);
        if (route.Resource.ForbiddenToTenantDrivers)
        {
            throw new KubeStatusException(
                403,
                "Forbidden",
                $"{route.Resource.QualifiedName} \"{route.Name}\" is forbidden: tenant drivers may not read or write cluster-scoped RBAC",
                route.Resource,
                route.Name);
        }

        foreach (var rule in _rejections.Values)
        {
            if (rule.Method == request.Method && rule.Plural == route.Resource.Plural)
            {
                throw KubeStatusException.Invalid(route.Resource, route.Name ?? string.Empty, rule.Field, rule.Problem);
            }
        }

        var manager = request.Query["fieldManager"].ToString();
        return (request.Method, route.Name) switch
        {
            ("GET", null) => (200, _store.List(route.Resource, route.Namespace)),
            ("POST", null) => (201, _store.Create(route.Resource, route.Namespace, ParseObject(body, yamlAllowed: false), manager.Length == 0 ? "unknown" : manager)),
            ("GET", { } name) => (200, _store.Get(route.Resource, route.Namespace, name)),
            ("PATCH", { } name) => Apply(request, route, name, body, manager),
            ("DELETE", { } name) => Delete(route, name),
            _ => throw new KubeStatusException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
        };
    }

    private (int, JsonNode) Apply(HttpRequest request, ApiRoute route, string name, string body, string manager)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType != ApplyPatchContentType)
        {
            throw new KubeStatusException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {ApplyPatchContentType} (this double implements server-side apply only)");
        }

        if (manager.Length == 0)
        {
            throw KubeStatusException.BadRequest("PATCH requests with content type application/apply-patch+yaml must specify fieldManager");
        }

        var force = request.Query["force"].ToString() == "true";
        var (stored, created) = _store.Apply(route.Resource, route.Namespace, name, ParseObject(body, yamlAllowed: true), manager, force);
        return (created ? 201 : 200, stored);
    }

    private (int, JsonNode) Delete(ApiRoute route, string name)
    {
        var result = _store.Delete(route.Resource, route.Namespace, name);
        if (route.Resource.Kind == "Namespace" && NamespaceTerminationDelay != Timeout.InfiniteTimeSpan)
        {
            _ = PurgeLaterAsync(name, NamespaceTerminationDelay);
        }

        return (200, result);
    }

    private async Task PurgeLaterAsync(string ns, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token);
            _store.Purge(ns);
        }
        catch (OperationCanceledException)
        {
            // The double stopped first.
        }
    }

    /// <summary>Apply bodies are YAML; JSON is valid YAML and is what KubernetesClient sends.</summary>
    private static JsonObject ParseObject(string body, bool yamlAllowed)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw KubeStatusException.BadRequest("the request body is not an object");
        }
        catch (JsonException) when (yamlAllowed)
        {
            return YamlToJson(body);
        }
        catch (JsonException ex)
        {
            throw KubeStatusException.BadRequest($"couldn't get version/kind; json parse error: {ex.Message}");
        }
    }

    private static JsonObject YamlToJson(string yaml)
    {
        try
        {
            var value = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(yaml);
            return JsonSerializer.SerializeToNode(value) as JsonObject ?? throw KubeStatusException.BadRequest("the request body is not an object");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw KubeStatusException.BadRequest($"error decoding YAML: {ex.Message}");
        }
    }

    private sealed class Rejection(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    /// <summary>A parsed API path: the resource type, and the namespace and name where the path has them.</summary>
    private sealed record ApiRoute(ApiResource Resource, string? Namespace, string? Name)
    {
        public static ApiRoute Parse(string path)
        {
            var segments = path.Trim('/').Split('/');
            var (group, version, rest) = segments switch
            {
                ["api", var v, .. var r] => (string.Empty, v, r),
                ["apis", var g, var v, .. var r] => (g, v, r),
                _ => throw NotFound(),
            };
            var (plural, ns, name) = rest switch
            {
                ["namespaces", var n, var p] => (p, n, (string?)null),
                ["namespaces", var n, var p, var x] => (p, n, x),
                [var p] => (p, (string?)null, (string?)null),
                [var p, var x] => (p, null, x),
                _ => throw NotFound(),
            };
            var resource = ApiResources.Find(group, version, plural);
            if (resource is null || resource.Namespaced != (ns is not null))
            {
                throw NotFound();
            }

            return new ApiRoute(resource, ns, name);
        }

        private static KubeStatusException NotFound() => new(404, "NotFound", "the server could not find the requested resource");
    }
}

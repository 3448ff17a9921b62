using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BacBos.Integration.Tests.Doubles.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BacBos.Integration.Tests.Doubles.ArgoCd;

/// <summary>
/// A local stand-in for ArgoCD's API server (the grpc-gateway under <c>/api/v1</c>) for the calls BacBos makes: list by
/// label selector, create with upsert semantics, get, sync, delete with cascade. It behaves like the real server where
/// the driver can tell: every call needs <c>Authorization: Bearer {token}</c> (401 otherwise); errors use the gateway's
/// <c>{"error","code","message"}</c> shape with gRPC codes (3 InvalidArgument → 400, 5 NotFound → 404, 9
/// FailedPrecondition → 400, 16 Unauthenticated → 401); an Application body is validated (name, source repoURL / path /
/// targetRevision, destination, project) and checked against its AppProject's permitted repositories and destinations.
/// Health progresses after a sync: the operation runs for <see cref="GetsUntilHealthy"/> reads of the application,
/// then it is Synced and Healthy — or stays Progressing while <see cref="NeverHealthy"/> is set.
/// </summary>
public sealed partial class ArgoCdApiDouble : IAsyncDisposable
{
    public const string Namespace = "argocd";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredApplication> _applications = new(StringComparer.Ordinal);
    private readonly List<ArgoCdRequest> _requests = [];
    private readonly Dictionary<string, ArgoCdProject> _projects;
    private WebApplication _app = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;
    private long _resourceVersion;

    private ArgoCdApiDouble(string token, IEnumerable<ArgoCdProject> projects)
    {
        Token = token;
        _projects = projects.Append(ArgoCdProject.Default).DistinctBy(p => p.Name).ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public Uri Server { get; private set; } = null!;

    public string Token { get; }

    /// <summary>Reads of an application (GET) while its sync operation runs before it completes. Default 2.</summary>
    public int GetsUntilHealthy { get; set; } = 2;

    /// <summary>While set, synced applications report health Progressing (a rollout that never becomes ready).</summary>
    public bool NeverHealthy { get; set; }

    /// <summary>Reads of a deleted application that still find it (finalizers pruning resources). Default 0: gone at once.</summary>
    public int GetsUntilDeleted { get; set; }

    /// <param name="token">The bearer token the server accepts.</param>
    /// <param name="projects">AppProjects besides the built-in <c>default</c>.</param>
    /// <param name="https">Serve TLS with a self-signed certificate (clients must skip verification).</param>
    public static async Task<ArgoCdApiDouble> StartAsync(string token, IEnumerable<ArgoCdProject> projects, bool https = false)
    {
        var server = new ArgoCdApiDouble(token, projects);
        server._certificate = https ? LoopbackHost.SelfSignedCertificate() : null;
        (server._app, server.Server) = await LoopbackHost.StartAsync(server.Map, server._certificate);
        return server;
    }

    /// <summary>Every request received, in order (bodies as sent; the token is not recorded).</summary>
    public IReadOnlyList<ArgoCdRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Copies of the stored applications, by name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Applications
    {
        get
        {
            lock (_gate)
            {
                return _applications.ToDictionary(a => a.Key, a => (JsonObject)a.Value.Application.DeepClone(), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Applications carrying label <paramref name="key"/>=<paramref name="value"/> (e.g. a tenant's).</summary>
    public IReadOnlyList<string> ApplicationsLabelled(string key, string value) =>
        Applications.Where(a => a.Value["metadata"]?["labels"]?[key]?.GetValue<string>() == value).Select(a => a.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The configuration keys pointing the ArgoCD driver at this server.</summary>
    public IReadOnlyDictionary<string, string?> Configuration(string project, TimeSpan healthTimeout, TimeSpan pollInterval) => new Dictionary<string, string?>
    {
        ["Drivers:ArgoCd:Server"] = Server.ToString().TrimEnd('/'),
        ["Drivers:ArgoCd:Token"] = Token,
        ["Drivers:ArgoCd:Project"] = project,
        ["Drivers:ArgoCd:ApplicationNamespace"] = Namespace,
        ["Drivers:ArgoCd:HealthTimeout"] = healthTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Drivers:ArgoCd:PollInterval"] = pollInterval.ToString("c", CultureInfo.InvariantCulture),
        ["Drivers:ArgoCd:InsecureSkipVerify"] = Server.Scheme == "https" ? "true" : "false",
    };

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            context.Items["body"] = body;
            var header = context.Request.Headers.Authorization.ToString();
            var authorized = header == $"Bearer {Token}";
            lock (_gate)
            {
                _requests.Add(new ArgoCdRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? string.Empty, body.Length == 0 ? null : body, header.Length > 0));
            }

            if (!authorized)
            {
                await Error(context, 401, 16, header.Length == 0 ? "no session information" : "invalid session: token signature is invalid");
                return;
            }

            await next(context);
        });
        app.MapGet("/api/v1/applications", List);
        app.MapPost("/api/v1/applications", Create);
        app.MapGet("/api/v1/applications/{name}", Get);
        app.MapPost("/api/v1/applications/{name}/sync", Sync);
        app.MapDelete("/api/v1/applications/{name}", Delete);
    }

    private Task List(HttpContext context)
    {
        var selector = ParseSelector(context.Request.Query["selector"].ToString());
        JsonArray items;
        lock (_gate)
        {
            items = new JsonArray(_applications.Values
                .Where(a => selector.All(s => a.Label(s.Key) is { } v && (s.Value is null || v == s.Value)))
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .Select(a => (JsonNode)a.Application.DeepClone())
                .ToArray());
        }

        return Json(context, 200, new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = Version() }, ["items"] = items });
    }

    private Task Create(HttpContext context)
    {
        var upsert = context.Request.Query["upsert"].ToString() == "true";
        if (JsonNode.Parse((string)context.Items["body"]!) is not JsonObject application)
        {
            return Error(context, 400, 3, "the request body is not an Application object");
        }

        var problem = Validate(application);
        if (problem is not null)
        {
            return Error(context, 400, 3, problem);
        }

        var name = application["metadata"]!["name"]!.GetValue<string>();
        lock (_gate)
        {
            if (_applications.TryGetValue(name, out var existing))
            {
                if (existing.SameDefinition(application))
                {
                    return Json(context, 200, existing.Application.DeepClone());
                }

                if (!upsert)
                {
                    return Error(context, 400, 3, "existing application spec is different, use upsert flag to force update");
                }

                existing.Replace(application, Version());
                return Json(context, 200, existing.Application.DeepClone());
            }

            var stored = StoredApplication.Create(application, Version());
            _applications[name] = stored;
            return Json(context, 200, stored.Application.DeepClone());
        }
    }

    private Task Get(HttpContext context, string name)
    {
        lock (_gate)
        {
            if (!_applications.TryGetValue(name, out var stored))
            {
                return NotFound(context, name);
            }

            stored.Observe(this);
            if (stored.Deleted)
            {
                _applications.Remove(name);
                return NotFound(context, name);
            }

            return Json(context, 200, stored.Application.DeepClone());
        }
    }

    private Task Sync(HttpContext context, string name)
    {
        var body = (string)context.Items["body"]!;
        var request = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject;
        if (request is null)
        {
            return Error(context, 400, 3, "the request body is not an ApplicationSyncRequest");
        }

        lock (_gate)
        {
            if (!_applications.TryGetValue(name, out var stored))
            {
                return NotFound(context, name);
            }

            if (stored.Operating)
            {
                return Error(context, 400, 9, "another operation is already in progress");
            }

            stored.StartSync(request["revision"]?.GetValue<string>(), GetsUntilHealthy);
            return Json(context, 200, stored.Application.DeepClone());
        }
    }

    private Task Delete(HttpContext context, string name)
    {
        lock (_gate)
        {
            if (!_applications.TryGetValue(name, out var stored))
            {
                return NotFound(context, name);
            }

            if (GetsUntilDeleted <= 0)
            {
                _applications.Remove(name);
            }
            else
            {
                stored.StartDeletion(GetsUntilDeleted);
            }

            return Json(context, 200, new JsonObject());
        }
    }

    /// <summary>What the real server rejects (as InvalidArgument); null when the body is acceptable.</summary>
    private string? Validate(JsonObject application)
    {
        var name = application["metadata"]?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            return $"Application.argoproj.io \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'";
        }

        var ns = application["metadata"]?["namespace"]?.GetValue<string>();
        if (ns is not null && ns != Namespace)
        {
            return $"application '{name}' in namespace '{ns}' is not permitted";
        }

        if (application["metadata"]?["labels"] is JsonObject labels && labels.Any(l => l.Value?.GetValueKind() != System.Text.Json.JsonValueKind.String || !LabelValue().IsMatch(l.Value.GetValue<string>())))
        {
            return $"Application.argoproj.io \"{name}\" is invalid: metadata.labels: Invalid value";
        }

        var spec = application["spec"] as JsonObject;
        var source = spec?["source"] as JsonObject;
        var repoUrl = source?["repoURL"]?.GetValue<string>();
        var path = source?["path"]?.GetValue<string>();
        var chart = source?["chart"]?.GetValue<string>();
        var problem = (spec, source) switch
        {
            (null, _) => "spec is required",
            (_, null) => "spec.source is required",
            _ when string.IsNullOrEmpty(repoUrl) => "spec.source.repoURL is required",
            _ when string.IsNullOrEmpty(path) && string.IsNullOrEmpty(chart) => "spec.source.path or spec.source.chart is required",
            _ when path is not null && (path.StartsWith('/') || path.Split('/').Contains("..")) => $"spec.source.path '{path}' must be a relative path inside the repository",
            _ when source["targetRevision"] is { } revision && (revision.GetValueKind() != System.Text.Json.JsonValueKind.String || revision.GetValue<string>().Length == 0) => "spec.source.targetRevision must be a non-empty string",
            _ when spec["destination"] is not JsonObject destination || (destination["server"] is null && destination["name"] is null) => "spec.destination.server or spec.destination.name is required",
            _ when string.IsNullOrEmpty(spec["destination"]!["namespace"]?.GetValue<string>()) => "spec.destination.namespace is required",
            _ => null,
        };
        if (problem is not null)
        {
            return $"application spec for {name} is invalid: InvalidSpecError: {problem}";
        }

        var projectName = spec!["project"]?.GetValue<string>();
        if (string.IsNullOrEmpty(projectName))
        {
            spec["project"] = projectName = "default";
        }

        if (!_projects.TryGetValue(projectName, out var project))
        {
            return $"application references project {projectName} which does not exist";
        }

        var server = spec["destination"]!["server"]?.GetValue<string>() ?? string.Empty;
        var destinationNamespace = spec["destination"]!["namespace"]!.GetValue<string>();
        if (!project.PermitsRepo(repoUrl!))
        {
            return $"application spec for {name} is invalid: InvalidSpecError: application repo {repoUrl} is not permitted in project '{projectName}'";
        }

        return project.PermitsDestination(server, destinationNamespace)
            ? null
            : $"application spec for {name} is invalid: InvalidSpecError: application destination server '{server}' and namespace '{destinationNamespace}' do not match any of the allowed destinations in project '{projectName}'";
    }

    private static List<KeyValuePair<string, string?>> ParseSelector(string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(term => term.Split('=', 2) is [var key, var value] ? new KeyValuePair<string, string?>(key, value) : new KeyValuePair<string, string?>(term, null))
            .ToList();

    private string Version() => Interlocked.Increment(ref _resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static Task NotFound(HttpContext context, string name) => Error(context, 404, 5, $"applications.argoproj.io \"{name}\" not found");

    private static Task Error(HttpContext context, int status, int code, string message) =>
        Json(context, status, new JsonObject { ["error"] = message, ["code"] = code, ["message"] = message });

    private static Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate?.Dispose();
    }

    /// <summary>One application and its simulated controller state.</summary>
    private sealed class StoredApplication
    {
        private int _readsLeft;
        private int? _deletionReadsLeft;
        private string? _revision;

        private StoredApplication(JsonObject application) => Application = application;

        public JsonObject Application { get; }

        public string Name => Application["metadata"]!["name"]!.GetValue<string>();

        public bool Operating { get; private set; }

        public bool Deleted => _deletionReadsLeft is <= 0;

        public string? Label(string key) => Application["metadata"]?["labels"]?[key]?.GetValue<string>();

        public static StoredApplication Create(JsonObject application, string version)
        {
            var copy = (JsonObject)application.DeepClone();
            var metadata = (JsonObject)copy["metadata"]!;
            metadata["namespace"] = Namespace;
            metadata["uid"] = Guid.NewGuid().ToString("D");
            metadata["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            metadata["resourceVersion"] = version;
            copy["status"] = new JsonObject
            {
                ["health"] = new JsonObject { ["status"] = "Missing" },
                ["sync"] = new JsonObject { ["status"] = "OutOfSync" },
            };
            return new StoredApplication(copy);
        }

        /// <summary>The server's equality: spec, labels, annotations and finalizers.</summary>
        public bool SameDefinition(JsonObject other) =>
            new[] { "labels", "annotations", "finalizers" }.All(k => JsonNode.DeepEquals(Application["metadata"]?[k], other["metadata"]?[k]))
            && JsonNode.DeepEquals(Application["spec"], other["spec"]);

        public void Replace(JsonObject application, string version)
        {
            var metadata = (JsonObject)Application["metadata"]!;
            foreach (var key in new[] { "labels", "annotations", "finalizers" })
            {
                metadata[key] = application["metadata"]?[key]?.DeepClone();
            }

            metadata["resourceVersion"] = version;
            Application["spec"] = application["spec"]!.DeepClone();
            Application["status"]!["sync"]!["status"] = "OutOfSync";
        }

        public void StartSync(string? revision, int reads)
        {
            Operating = true;
            _revision = revision ?? "HEAD";
            _readsLeft = reads;
            var status = (JsonObject)Application["status"]!;
            status["operationState"] = new JsonObject
            {
                ["phase"] = "Running",
                ["message"] = "one or more tasks are running",
                ["operation"] = new JsonObject { ["sync"] = new JsonObject { ["revision"] = _revision } },
                ["startedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };
            status["health"] = new JsonObject { ["status"] = "Progressing" };
        }

        public void StartDeletion(int reads)
        {
            _deletionReadsLeft = reads;
            Application["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        /// <summary>One read by a client: the simulated controller moves on.</summary>
        public void Observe(ArgoCdApiDouble server)
        {
            if (_deletionReadsLeft is { } left)
            {
                _deletionReadsLeft = left - 1;
            }

            var status = (JsonObject)Application["status"]!;
            if (Operating && --_readsLeft <= 0)
            {
                Operating = false;
                status["operationState"]!["phase"] = "Succeeded";
                status["operationState"]!["message"] = "successfully synced (all tasks run)";
                status["sync"] = new JsonObject { ["status"] = "Synced", ["revision"] = _revision };
            }

            if (!Operating && status["operationState"] is not null)
            {
                status["health"] = server.NeverHealthy
                    ? new JsonObject { ["status"] = "Progressing", ["message"] = "Waiting for rollout to finish: 0 of 1 updated replicas are available..." }
                    : new JsonObject { ["status"] = "Healthy" };
            }
        }
    }
}

/// <summary>One request the double received (whether an Authorization header was present, never its value).</summary>
public sealed record ArgoCdRequest(string Method, string Path, string Query, string? Body, bool HadAuthorization);

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// The few calls of ArgoCD's REST API (the grpc-gateway under <c>/api/v1</c>) that step 6 needs, with bearer-token
/// auth. Error mapping follows the gateway's codes: 401/403 (token), 400 (InvalidArgument / FailedPrecondition) are
/// permanent; 5xx, 429, timeouts and connection failures are transient. The token is only ever an Authorization header.
/// </summary>
public sealed class ArgoCdClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ArgoCdOptions _options;

    public ArgoCdClient(ArgoCdOptions options)
        : this(options, Handler(options))
    {
    }

    public ArgoCdClient(ArgoCdOptions options, HttpMessageHandler handler)
    {
        _options = options;
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri(options.Server!.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(options.Token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }
    }

    /// <summary>The application, or null when it does not exist (404).</summary>
    public async Task<JsonObject?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"api/v1/applications/{Uri.EscapeDataString(name)}", null, $"get application {name}", cancellationToken, allow404: true);
        return status == HttpStatusCode.NotFound ? null : body;
    }

    /// <summary>Applications matching a label selector (<c>GET /api/v1/applications?selector=…</c>).</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string selector, CancellationToken cancellationToken)
    {
        var (_, body) = await SendAsync(HttpMethod.Get, $"api/v1/applications?selector={Uri.EscapeDataString(selector)}", null, "list applications", cancellationToken);
        return body?["items"] is JsonArray items ? items.OfType<JsonObject>().ToList() : [];
    }

    /// <summary>Creates the application or replaces its spec (<c>POST /api/v1/applications?upsert=true</c>).</summary>
    public async Task<JsonObject> UpsertAsync(JsonObject application, CancellationToken cancellationToken)
    {
        var name = application["metadata"]?["name"]?.GetValue<string>();
        var (_, body) = await SendAsync(HttpMethod.Post, "api/v1/applications?upsert=true", application, $"create application {name}", cancellationToken);
        return body ?? new JsonObject();
    }

    /// <summary>Starts a sync to <paramref name="revision"/>; an operation already running (auto-sync) is fine: returns false.</summary>
    public async Task<bool> SyncAsync(string name, string? revision, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["name"] = name, ["prune"] = true };
        if (revision is not null)
        {
            request["revision"] = revision;
        }

        try
        {
            await SendAsync(HttpMethod.Post, $"api/v1/applications/{Uri.EscapeDataString(name)}/sync", request, $"sync application {name}", cancellationToken);
            return true;
        }
        catch (PermanentStepException ex) when (ex.Message.Contains("another operation is already in progress", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>Deletes the application and, with cascade, its resources; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var (status, _) = await SendAsync(HttpMethod.Delete, $"api/v1/applications/{Uri.EscapeDataString(name)}?cascade=true", null, $"delete application {name}", cancellationToken, allow404: true);
        return status != HttpStatusCode.NotFound;
    }

    private async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(
        HttpMethod method, string path, JsonObject? content, string what, CancellationToken cancellationToken, bool allow404 = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (content is not null)
        {
            request.Content = JsonContent.Create(content);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound && allow404)
            {
                return (response.StatusCode, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Failure(what, response.StatusCode, text);
            }

            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ArgoCdUnavailableException($"ArgoCD {what}: no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
        {
            throw new PermanentStepException(
                $"ArgoCD {what}: the server's TLS certificate is not trusted ({ex.InnerException.Message}); set {ArgoCdOptions.Section}:InsecureSkipVerify only for test installations");
        }
        catch (HttpRequestException ex)
        {
            throw new ArgoCdUnavailableException($"ArgoCD {what}: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new ArgoCdUnavailableException($"ArgoCD {what}: the answer is not JSON ({ex.Message})", ex);
        }
    }

    private static Exception Failure(string what, HttpStatusCode status, string body)
    {
        var code = (int)status;
        var message = $"ArgoCD {what} failed with {code} {status}: {ErrorMessage(body)}";
        return code switch
        {
            401 or 403 => new PermanentStepException($"{message} (check {ArgoCdOptions.Section}:Token and the project's RBAC)"),
            408 or 429 or >= 500 => new ArgoCdUnavailableException(message),
            _ => new PermanentStepException(message),
        };
    }

    /// <summary>The grpc-gateway error body is <c>{"error":…,"code":n,"message":…}</c>.</summary>
    private static string ErrorMessage(string body)
    {
        try
        {
            var message = JsonNode.Parse(body)?["message"]?.GetValue<string>();
            if (!string.IsNullOrWhiteSpace(message))
            {
                return message;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // not the gateway's shape; fall through to the raw text
        }

        return body.Length > 200 ? body[..200] + "…" : body;
    }

    private static SocketsHttpHandler Handler(ArgoCdOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.InsecureSkipVerify)
        {
            // Opt-in for self-signed test installations only (documented on the option).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        return handler;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>ArgoCD could not be reached or answered with a server error this time: transient, retried.</summary>
public sealed class ArgoCdUnavailableException : Exception
{
    public ArgoCdUnavailableException(string message)
        : base(message)
    {
    }

    public ArgoCdUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

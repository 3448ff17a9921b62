using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace BacBos.Integration.Tests.Doubles.Stripe;

/// <summary>A resource of the double's v1 API (webhook endpoints now; payment intents later) adding its routes.</summary>
public interface IStripeDoubleResource
{
    void Map(StripeRoutes routes);
}

/// <summary>The double's route table: method + template (<c>/v1/webhook_endpoints/{id}</c>) → handler.</summary>
public sealed class StripeRoutes
{
    private readonly List<(string Method, string[] Segments, Func<StripeCall, StripeResult> Handler)> _routes = [];

    public void Add(string method, string template, Func<StripeCall, StripeResult> handler) =>
        _routes.Add((method, template.Trim('/').Split('/'), handler));

    internal (Func<StripeCall, StripeResult> Handler, Dictionary<string, string> Values)? Match(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        foreach (var route in _routes.Where(r => r.Method == method && r.Segments.Length == segments.Length))
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var matched = route.Segments.Zip(segments).All(p =>
            {
                if (p.First.StartsWith('{'))
                {
                    values[p.First.Trim('{', '}')] = Uri.UnescapeDataString(p.Second);
                    return true;
                }

                return p.First == p.Second;
            });
            if (matched)
            {
                return (route.Handler, values);
            }
        }

        return null;
    }
}

/// <summary>
/// An in-process double of Stripe's v1 API, honest to the documented protocol where the platform relies on it:
/// <list type="bullet">
/// <item>Auth: <c>Authorization: Bearer sk_test_…</c> of an account created with <see cref="CreateAccount"/>; otherwise
/// 401 with <c>{"error":{"type":"invalid_request_error",…}}</c>.</item>
/// <item>POST bodies must be <c>application/x-www-form-urlencoded</c> (as Stripe.net sends them); unknown parameters
/// are rejected (<c>parameter_unknown</c>).</item>
/// <item>Idempotency: a POST with <c>Idempotency-Key</c> stores its answer (2xx and 5xx; not a validation error, as
/// Stripe does not save requests that fail before executing); the same key with the same method, path and parameters
/// replays it with <c>Idempotent-Replayed: true</c>; with different ones it answers 400 <c>idempotency_error</c>.</item>
/// <item>Every answer carries <c>Request-Id</c>; injected faults (<see cref="Faults"/>) answer <c>api_error</c> /
/// <c>rate_limit_error</c> before anything runs.</item>
/// </list>
/// Requests are handled one at a time, so idempotency and counts are exact under concurrent callers.
/// </summary>
public sealed class StripeDouble : IAsyncDisposable
{
    private readonly LoopbackKestrel _host;
    private readonly StripeRoutes _routes;
    private readonly Dictionary<string, StripeAccount> _accounts = new(StringComparer.Ordinal);
    private readonly RequestLog _requests = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    private StripeDouble(LoopbackKestrel host, StripeRoutes routes)
    {
        _host = host;
        _routes = routes;
    }

    /// <summary>Use as <c>Drivers:Stripe:ApiBase</c> (Stripe.net appends <c>/v1/…</c>).</summary>
    public Uri BaseAddress => _host.BaseAddress;

    public FaultQueue Faults { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => _requests.Snapshot();

    /// <summary>Starts the double with the webhook-endpoint resource and any <paramref name="resources"/> added by later work.</summary>
    public static async Task<StripeDouble> StartAsync(params IStripeDoubleResource[] resources)
    {
        var routes = new StripeRoutes();
        new StripeWebhookEndpoints().Map(routes);
        foreach (var resource in resources)
        {
            resource.Map(routes);
        }

        StripeDouble? self = null;
        var host = await LoopbackKestrel.StartAsync(app => app.Run(context => self!.HandleAsync(context)));
        self = new StripeDouble(host, routes);
        return self;
    }

    /// <summary>A new account; returns its secret key (<c>sk_test_…</c>).</summary>
    public string CreateAccount()
    {
        var account = new StripeAccount("sk_test_" + StripeIds.Random(32));
        lock (_accounts)
        {
            _accounts[account.ApiKey] = account;
        }

        return account.ApiKey;
    }

    public StripeAccount Account(string apiKey)
    {
        lock (_accounts)
        {
            return _accounts[apiKey];
        }
    }

    /// <summary>The account's webhook endpoints as the double stores them (secret included, for signing test events).</summary>
    public IReadOnlyList<StripeWebhookEndpoint> WebhookEndpoints(string apiKey) => Account(apiKey).State<StripeWebhookEndpointStore>().Snapshot();

    private async Task HandleAsync(HttpContext context)
    {
        var (body, headers) = await RecordedRequest.ReadAsync(context.Request);
        var result = await RespondAsync(context.Request, body);
        var response = context.Response;
        response.StatusCode = result.Result.Status;
        response.ContentType = "application/json";
        response.Headers["Request-Id"] = StripeIds.New("req");
        if (result.IdempotencyKey is { } key)
        {
            response.Headers["Idempotency-Key"] = key;
        }

        if (result.Replayed)
        {
            response.Headers["Idempotent-Replayed"] = "true";
        }

        _requests.Add(RecordedRequest.Of(context.Request, headers, body, result.Result.Status));

        await response.WriteAsync(result.Result.Body.ToJsonString(), Encoding.UTF8);
    }

    private async Task<(StripeResult Result, string? IdempotencyKey, bool Replayed)> RespondAsync(HttpRequest request, string body)
    {
        if (Faults.TryTake(out var fault))
        {
            return (fault == 429
                ? StripeResult.Error(429, "invalid_request_error", "Too many requests hit the API too quickly.", code: "rate_limit")
                : StripeResult.Error(fault, "api_error", "An unknown error occurred"), null, false);
        }

        if (Authenticate(request) is not { } account)
        {
            return (Unauthorized(request), null, false);
        }

        var path = request.Path.Value ?? "/";
        if (_routes.Match(request.Method, path) is not { } route)
        {
            return (StripeResult.Error(404, "invalid_request_error", $"Unrecognized request URL ({request.Method}: {path}).", code: "resource_missing"), null, false);
        }

        Dictionary<string, StringValues> parameters;
        if (HttpMethods.IsPost(request.Method))
        {
            if (body.Length > 0 && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            {
                return (StripeResult.Error(400, "invalid_request_error", "Invalid request: POST bodies must be application/x-www-form-urlencoded."), null, false);
            }

            parameters = QueryHelpers.ParseQuery(body);
        }
        else
        {
            parameters = QueryHelpers.ParseQuery(request.QueryString.Value);
        }

        var call = new StripeCall(account, request.Method, route.Values, parameters);
        var key = HttpMethods.IsPost(request.Method) ? request.Headers["Idempotency-Key"].ToString() : string.Empty;
        await _gate.WaitAsync();
        try
        {
            if (key.Length == 0)
            {
                return (route.Handler(call), null, false);
            }

            if (key.Length > 255)
            {
                return (StripeResult.Error(400, "invalid_request_error", "Idempotency-Key must be at most 255 characters."), key, false);
            }

            var fingerprint = $"{request.Method} {path}?{string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";
            if (account.IdempotentResults.TryGetValue(key, out var stored))
            {
                return stored.Fingerprint == fingerprint
                    ? (stored.Result with { Body = stored.Result.Body.DeepClone() }, key, true)
                    : (StripeResult.Error(
                        400,
                        "idempotency_error",
                        $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."), key, false);
            }

            var result = route.Handler(call);
            if (result.Status is >= 200 and < 300 or >= 500)
            {
                account.IdempotentResults[key] = (fingerprint, result with { Body = result.Body.DeepClone() });
            }

            return (result, key, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private StripeAccount? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        lock (_accounts)
        {
            return _accounts.GetValueOrDefault(header["Bearer ".Length..].Trim());
        }
    }

    private static StripeResult Unauthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return StripeResult.Error(
                401,
                "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }

        var key = header["Bearer ".Length..].Trim();
        var masked = key.Length > 12 ? $"{key[..8]}{new string('*', key.Length - 12)}{key[^4..]}" : "****";
        return StripeResult.Error(401, "invalid_request_error", $"Invalid API Key provided: {masked}");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _gate.Dispose();
    }
}

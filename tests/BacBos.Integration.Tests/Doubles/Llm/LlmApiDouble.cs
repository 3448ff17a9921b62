using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Integration.Tests.Doubles.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BacBos.Integration.Tests.Doubles.Llm;

/// <summary>
/// A local OpenAI-compatible chat completions endpoint (<c>POST /v1/chat/completions</c>) following the documented
/// request and response shapes: it needs <c>Authorization: Bearer {key}</c> (401 <c>invalid_api_key</c> otherwise, with
/// the key masked in the message as the provider does), a JSON body with a known <c>model</c> (404
/// <c>model_not_found</c>) and a non-empty <c>messages</c> array of role/content objects (400
/// <c>invalid_request_error</c>), and answers a <c>chat.completion</c> with <c>choices[0].message.content</c> and
/// <c>usage</c>. <see cref="ForcedStatus"/> makes it answer 401, 429 (with <c>retry-after</c>) or 5xx instead.
/// </summary>
public sealed class LlmApiDouble : IAsyncDisposable
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    private readonly Lock _gate = new();
    private readonly List<LlmRequest> _requests = [];
    private readonly HashSet<string> _models;
    private WebApplication _app = null!;

    private LlmApiDouble(string apiKey, IEnumerable<string> models)
    {
        ApiKey = apiKey;
        _models = models.ToHashSet(StringComparer.Ordinal);
    }

    public Uri Endpoint { get; private set; } = null!;

    public string ApiKey { get; }

    public IReadOnlyCollection<string> Models => _models;

    /// <summary>When set (401, 429, 500, 503…), every request is answered with that status and the provider's error body.</summary>
    public int? ForcedStatus { get; set; }

    public static async Task<LlmApiDouble> StartAsync(string apiKey = "sk-test-8f3a1c2d9e7b4a6f", params string[] models)
    {
        var server = new LlmApiDouble(apiKey, models.Length == 0 ? ["gpt-4o-mini"] : models);
        (server._app, server.Endpoint) = await LoopbackHost.StartAsync(app => app.MapPost("/v1/chat/completions", server.CompleteAsync));
        return server;
    }

    public IReadOnlyList<LlmRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>The configuration keys pointing the copilot driver at this endpoint.</summary>
    public IReadOnlyDictionary<string, string?> Configuration(string? model = null, string? apiKey = null) => new Dictionary<string, string?>
    {
        ["Drivers:Llm:Endpoint"] = Endpoint.ToString().TrimEnd('/'),
        ["Drivers:Llm:ApiKey"] = apiKey ?? ApiKey,
        ["Drivers:Llm:Model"] = model ?? _models.First(),
        ["Drivers:Llm:Timeout"] = "00:00:10",
    };

    private async Task CompleteAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var authorization = context.Request.Headers.Authorization.ToString();
        lock (_gate)
        {
            _requests.Add(new LlmRequest(body, authorization.Length > 0, context.Request.ContentType));
        }

        if (ForcedStatus is { } forced)
        {
            await Forced(context, forced);
            return;
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await Error(context, 401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", "invalid_request_error", null, null);
            return;
        }

        var key = authorization["Bearer ".Length..];
        if (key != ApiKey)
        {
            await Error(context, 401, $"Incorrect API key provided: {Mask(key)}. You can find your API key in your account settings.", "invalid_request_error", null, "invalid_api_key");
            return;
        }

        JsonObject? request;
        try
        {
            request = context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true ? JsonNode.Parse(body) as JsonObject : null;
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            await Error(context, 400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)", "invalid_request_error", null, null);
            return;
        }

        var model = request["model"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : null;
        if (string.IsNullOrEmpty(model))
        {
            await Error(context, 400, "you must provide a model parameter", "invalid_request_error", null, null);
            return;
        }

        if (!_models.Contains(model))
        {
            await Error(context, 404, $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", null, "model_not_found");
            return;
        }

        var problem = MessagesProblem(request["messages"]) ?? MaxTokensProblem(request["max_tokens"]);
        if (problem is not null)
        {
            await Error(context, 400, problem.Value.Message, "invalid_request_error", problem.Value.Param, null);
            return;
        }

        var promptTokens = request["messages"]!.AsArray().Sum(x => x!["content"]!.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length + 4);
        await Json(context, 200, new JsonObject
        {
            ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "ready", ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = 1, ["total_tokens"] = promptTokens + 1 },
            ["system_fingerprint"] = "fp_bacbos_double",
        });
    }

    private static (string Message, string? Param)? MessagesProblem(JsonNode? messages)
    {
        if (messages is not JsonArray array)
        {
            return ("Missing required parameter: 'messages'.", "messages");
        }

        if (array.Count == 0)
        {
            return ("[] is too short - 'messages'", "messages");
        }

        for (var i = 0; i < array.Count; i++)
        {
            var role = array[i]?["role"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
            if (role is null || !Roles.Contains(role))
            {
                return ($"Invalid value for 'messages[{i}].role': expected one of {string.Join(", ", Roles)}.", $"messages[{i}].role");
            }

            if (array[i]?["content"] is not JsonValue c || c.GetValueKind() != JsonValueKind.String)
            {
                return ($"Missing required parameter: 'messages[{i}].content'.", $"messages[{i}].content");
            }
        }

        return null;
    }

    private static (string Message, string? Param)? MaxTokensProblem(JsonNode? maxTokens) =>
        maxTokens is null || (maxTokens is JsonValue v && v.TryGetValue<int>(out var n) && n >= 1)
            ? null
            : ("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1.", "max_tokens");

    private static Task Forced(HttpContext context, int status)
    {
        if (status == 429)
        {
            context.Response.Headers["retry-after"] = "20";
            context.Response.Headers["x-ratelimit-remaining-requests"] = "0";
            return Error(context, 429, "Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.", "requests", "requests", "rate_limit_exceeded");
        }

        return status == 401
            ? Error(context, 401, "Incorrect API key provided: sk-te***4a6f. You can find your API key in your account settings.", "invalid_request_error", null, "invalid_api_key")
            : Error(context, status, "The server had an error while processing your request. Sorry about that!", "server_error", null, null);
    }

    /// <summary>The provider shows the first and last characters of a wrong key.</summary>
    private static string Mask(string key) => key.Length <= 8 ? "***" : $"{key[..5]}***{key[^4..]}";

    private static Task Error(HttpContext context, int status, string message, string type, string? param, string? code) =>
        Json(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        });

    private static Task Json(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One chat-completions request as received (the raw body; whether a key was sent, never the key).</summary>
public sealed record LlmRequest(string Body, bool HadAuthorization, string? ContentType)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}

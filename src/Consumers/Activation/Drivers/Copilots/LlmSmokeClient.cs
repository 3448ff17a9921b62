using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Copilots;

/// <summary>
/// One tiny OpenAI-compatible chat completion (<c>POST {endpoint}/v1/chat/completions</c>) per module, proving the
/// endpoint, key and model answer before the tenant relies on its copilots. The prompt carries no tenant data. A
/// rejected key, unknown model or malformed request (4xx) is permanent; rate limits, server errors and timeouts are
/// transient, so scheduled redelivery tries again. The API key goes only into the Authorization header.
/// </summary>
public sealed class LlmSmokeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly LlmOptions _options;
    private readonly Uri _completions;

    public LlmSmokeClient(LlmOptions options)
        : this(options, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
    }

    public LlmSmokeClient(LlmOptions options, HttpMessageHandler handler)
    {
        _options = options;
        _completions = CompletionsUri(options.Endpoint ?? throw new InvalidOperationException($"{LlmOptions.Section}:Endpoint is not set"));
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary><c>{endpoint}/v1/chat/completions</c>; an endpoint that already ends in <c>/v1</c> is not doubled.</summary>
    public static Uri CompletionsUri(string endpoint)
    {
        var root = endpoint.TrimEnd('/');
        return new Uri(root.EndsWith("/v1", StringComparison.Ordinal) ? $"{root}/chat/completions" : $"{root}/v1/chat/completions");
    }

    public async Task<LlmSmokeResult> PingAsync(string module, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["model"] = _options.Model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = $"You are a {module.Replace('_', ' ')} copilot. Reply with exactly one word." },
                new JsonObject { ["role"] = "user", ["content"] = "Say ready." }),
            ["max_tokens"] = 8,
            ["temperature"] = 0,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _completions) { Content = JsonContent.Create(body) };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(module, response.StatusCode, text);
            }

            var json = JsonNode.Parse(text);
            var content = json?["choices"]?[0]?["message"]?["content"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(content))
            {
                throw new LlmUnavailableException($"LLM smoke call for {module}: the response had no choices[0].message.content");
            }

            return new LlmSmokeResult(
                json?["model"]?.GetValue<string>() ?? _options.Model,
                clock.Elapsed,
                json?["usage"]?["total_tokens"]?.GetValue<int>());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LlmUnavailableException($"LLM smoke call for {module} timed out after {_options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new LlmUnavailableException($"LLM smoke call for {module} could not reach the endpoint: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new LlmUnavailableException($"LLM smoke call for {module}: the response is not JSON ({ex.Message})", ex);
        }
    }

    private Exception Failure(string module, HttpStatusCode status, string body)
    {
        var code = (int)status;
        var what = $"LLM smoke call for {module} failed with {code} {status}";
        return code switch
        {
            401 or 403 => new PermanentStepException($"{what}: the endpoint rejected the key (check {LlmOptions.Section}:ApiKey)"),
            404 => new PermanentStepException($"{what}: model '{_options.Model}' or the endpoint path does not exist (check {LlmOptions.Section}:Model and :Endpoint){Detail(body)}"),
            408 or 429 or >= 500 => new LlmUnavailableException($"{what}{Detail(body)}"),
            _ => new PermanentStepException($"{what}{Detail(body)}"),
        };
    }

    /// <summary>The provider's error message (never for 401/403, whose messages can echo part of the key), without the key.</summary>
    private string Detail(string body)
    {
        string? message;
        try
        {
            message = JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            message = null;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return string.Empty;
        }

        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            message = message.Replace(_options.ApiKey, "***", StringComparison.Ordinal);
        }

        return $": {(message.Length > 200 ? message[..200] + "…" : message)}";
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What one smoke call proved: the model that answered and how long it took.</summary>
public sealed record LlmSmokeResult(string Model, TimeSpan Elapsed, int? TotalTokens)
{
    public string Describe() => $"smoke: ok (model {Model}, {Elapsed.TotalMilliseconds:0} ms)";
}

/// <summary>The LLM endpoint is temporarily unavailable (rate limit, server error, timeout): transient, retried.</summary>
public sealed class LlmUnavailableException : Exception
{
    public LlmUnavailableException(string message)
        : base(message)
    {
    }

    public LlmUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

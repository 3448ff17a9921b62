using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace BacBos.Integration.Tests.Doubles.Stripe;

/// <summary>
/// One authenticated v1 request as a resource handler sees it: the account (from the API key), the path values and
/// the parameters in Stripe's bracket encoding (<c>enabled_events[0]=…</c>, <c>metadata[tenant_id]=…</c>), from the
/// form body of a POST or the query string of a GET/DELETE.
/// </summary>
public sealed class StripeCall(StripeAccount account, string method, IReadOnlyDictionary<string, string> pathValues, IReadOnlyDictionary<string, StringValues> parameters)
{
    public StripeAccount Account => account;

    public string Method => method;

    public string Path(string name) => pathValues[name];

    public IReadOnlyDictionary<string, StringValues> Parameters => parameters;

    /// <summary>Top-level parameter names (<c>metadata[x]</c> → <c>metadata</c>).</summary>
    public IEnumerable<string> TopLevelNames => parameters.Keys.Select(k => k.Split('[')[0]).Distinct(StringComparer.Ordinal);

    public string? Scalar(string name) => parameters.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary><c>name[0]</c>, <c>name[1]</c>, … in index order (and <c>name[]</c> repeats); null when absent.</summary>
    public IReadOnlyList<string>? List(string name)
    {
        var prefix = name + "[";
        var items = parameters
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Key.EndsWith(']'))
            .SelectMany(p =>
            {
                var index = p.Key[prefix.Length..^1];
                var order = index.Length == 0 ? int.MaxValue : int.Parse(index, CultureInfo.InvariantCulture);
                return p.Value.Select(v => (Order: order, Value: v ?? string.Empty));
            })
            .OrderBy(x => x.Order)
            .Select(x => x.Value)
            .ToList();
        return items.Count == 0 ? null : items;
    }

    /// <summary><c>name[key]=value</c> pairs; null when absent.</summary>
    public IReadOnlyDictionary<string, string>? Map(string name)
    {
        var prefix = name + "[";
        var map = parameters
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && p.Key.EndsWith(']'))
            .ToDictionary(p => p.Key[prefix.Length..^1], p => p.Value.ToString(), StringComparer.Ordinal);
        return map.Count == 0 ? null : map;
    }

    /// <summary>Stripe's answer to a parameter the endpoint does not take, or null when all are allowed.</summary>
    public StripeResult? RejectUnknown(params string[] allowed) =>
        TopLevelNames.FirstOrDefault(n => !allowed.Contains(n, StringComparer.Ordinal)) is { } unknown
            ? StripeResult.Error(400, "invalid_request_error", $"Received unknown parameter: {unknown}", param: unknown, code: "parameter_unknown")
            : null;
}

/// <summary>A status and a JSON body, as the double answers and as idempotency replays store them.</summary>
public sealed record StripeResult(int Status, JsonNode Body)
{
    public static StripeResult Ok(JsonNode body) => new(200, body);

    /// <summary>Stripe's error shape: <c>{"error":{"type","message","code","param","doc_url"}}</c>.</summary>
    public static StripeResult Error(int status, string type, string message, string? param = null, string? code = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{code.Replace('_', '-')}";
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        return new StripeResult(status, new JsonObject { ["error"] = error });
    }

    public static StripeResult Missing(string what, string id) =>
        Error(404, "invalid_request_error", $"No such {what}: '{id}'", param: "id", code: "resource_missing");
}

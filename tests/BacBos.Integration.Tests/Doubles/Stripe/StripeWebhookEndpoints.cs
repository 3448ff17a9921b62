using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace BacBos.Integration.Tests.Doubles.Stripe;

/// <summary>A webhook endpoint as the double stores it (the secret included: only the create answer shows it).</summary>
public sealed record StripeWebhookEndpoint(
    string Id,
    string Url,
    IReadOnlyList<string> EnabledEvents,
    IReadOnlyDictionary<string, string> Metadata,
    string Secret,
    string? ApiVersion,
    string? Description,
    long Created,
    int Sequence);

/// <summary>An account's webhook endpoints, plus how many creates ran (replays excluded).</summary>
public sealed class StripeWebhookEndpointStore
{
    private readonly List<StripeWebhookEndpoint> _endpoints = [];

    public int Created { get; private set; }

    public IReadOnlyList<StripeWebhookEndpoint> Snapshot()
    {
        lock (_endpoints)
        {
            return _endpoints.ToList();
        }
    }

    internal void Add(StripeWebhookEndpoint endpoint)
    {
        lock (_endpoints)
        {
            _endpoints.Add(endpoint);
            Created++;
        }
    }

    internal bool Remove(string id)
    {
        lock (_endpoints)
        {
            return _endpoints.RemoveAll(e => e.Id == id) > 0;
        }
    }
}

/// <summary>
/// <c>/v1/webhook_endpoints</c> as documented: create (url and enabled_events required, the URL must be publicly
/// reachable, events must exist, at most 16 endpoints per account, <c>secret</c> only in the create answer), retrieve
/// (404 <c>resource_missing</c>), list (newest first, <c>limit</c> 1–100, <c>starting_after</c>) and delete
/// (<c>{"id","object":"webhook_endpoint","deleted":true}</c>).
/// </summary>
public sealed partial class StripeWebhookEndpoints : IStripeDoubleResource
{
    public const int MaxEndpointsPerAccount = 16;

    /// <summary>The event types the double knows (a subset of Stripe's; <c>*</c> means all).</summary>
    public static IReadOnlySet<string> KnownEvents { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "*",
        "payment_intent.created", "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
        "payment_intent.requires_action", "payment_intent.processing", "payment_intent.amount_capturable_updated",
        "charge.succeeded", "charge.failed", "charge.captured", "charge.refunded", "charge.updated",
        "charge.dispute.created", "charge.dispute.closed", "charge.dispute.updated", "charge.refund.updated",
        "checkout.session.completed", "checkout.session.expired", "refund.created", "refund.updated", "refund.failed",
        "customer.created", "customer.updated", "customer.deleted", "invoice.paid", "invoice.payment_failed", "invoice.finalized",
        "payout.paid", "payout.failed", "account.updated",
    };

    private static readonly string[] CreateParameters = ["url", "enabled_events", "metadata", "description", "api_version", "connect", "expand"];

    public void Map(StripeRoutes routes)
    {
        routes.Add("POST", "/v1/webhook_endpoints", Create);
        routes.Add("GET", "/v1/webhook_endpoints", List);
        routes.Add("GET", "/v1/webhook_endpoints/{id}", Retrieve);
        routes.Add("DELETE", "/v1/webhook_endpoints/{id}", Delete);
    }

    private static StripeResult Create(StripeCall call)
    {
        if (call.RejectUnknown(CreateParameters) is { } unknown)
        {
            return unknown;
        }

        var url = call.Scalar("url");
        if (string.IsNullOrEmpty(url))
        {
            return StripeResult.Error(400, "invalid_request_error", "Missing required param: url.", param: "url", code: "parameter_missing");
        }

        if (UrlProblem(url) is { } problem)
        {
            return StripeResult.Error(400, "invalid_request_error", $"Invalid URL: {problem}", param: "url", code: "url_invalid");
        }

        var events = call.List("enabled_events");
        if (events is null)
        {
            return StripeResult.Error(400, "invalid_request_error", "Missing required param: enabled_events.", param: "enabled_events", code: "parameter_missing");
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (!KnownEvents.Contains(events[i]))
            {
                return StripeResult.Error(400, "invalid_request_error", $"Invalid enabled_events[{i}]: unknown event type '{events[i]}'.", param: $"enabled_events[{i}]", code: "parameter_invalid_string_empty");
            }
        }

        var apiVersion = call.Scalar("api_version");
        if (apiVersion is not null && !ApiVersionPattern().IsMatch(apiVersion))
        {
            return StripeResult.Error(400, "invalid_request_error", $"Invalid Stripe API version: {apiVersion}", param: "api_version");
        }

        var store = call.Account.State<StripeWebhookEndpointStore>();
        var existing = store.Snapshot();
        if (existing.Count >= MaxEndpointsPerAccount)
        {
            return StripeResult.Error(400, "invalid_request_error", $"You have reached the maximum of {MaxEndpointsPerAccount} test webhook endpoints.", param: "url");
        }

        var endpoint = new StripeWebhookEndpoint(
            StripeIds.New("we"),
            url,
            events,
            call.Map("metadata") ?? new Dictionary<string, string>(),
            "whsec_" + StripeIds.Random(32),
            apiVersion,
            call.Scalar("description"),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            existing.Count == 0 ? 1 : existing.Max(e => e.Sequence) + 1);
        store.Add(endpoint);
        return StripeResult.Ok(Json(endpoint, withSecret: true));
    }

    private static StripeResult Retrieve(StripeCall call) =>
        call.Account.State<StripeWebhookEndpointStore>().Snapshot().FirstOrDefault(e => e.Id == call.Path("id")) is { } endpoint
            ? StripeResult.Ok(Json(endpoint, withSecret: false))
            : StripeResult.Missing("webhook endpoint", call.Path("id"));

    private static StripeResult List(StripeCall call)
    {
        if (call.RejectUnknown("limit", "starting_after", "ending_before", "expand") is { } unknown)
        {
            return unknown;
        }

        var limit = 10;
        if (call.Scalar("limit") is { } text && (!int.TryParse(text, out limit) || limit is < 1 or > 100))
        {
            return StripeResult.Error(400, "invalid_request_error", "Invalid integer: limit must be between 1 and 100.", param: "limit");
        }

        var all = call.Account.State<StripeWebhookEndpointStore>().Snapshot().OrderByDescending(e => e.Sequence).ToList();
        if (call.Scalar("starting_after") is { } after)
        {
            var index = all.FindIndex(e => e.Id == after);
            if (index < 0)
            {
                return StripeResult.Missing("webhook endpoint", after);
            }

            all = all.Skip(index + 1).ToList();
        }

        var page = all.Take(limit).ToList();
        return StripeResult.Ok(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(page.Select(e => (JsonNode)Json(e, withSecret: false)).ToArray()),
            ["has_more"] = all.Count > page.Count,
            ["url"] = "/v1/webhook_endpoints",
        });
    }

    private static StripeResult Delete(StripeCall call) =>
        call.Account.State<StripeWebhookEndpointStore>().Remove(call.Path("id"))
            ? StripeResult.Ok(new JsonObject { ["id"] = call.Path("id"), ["object"] = "webhook_endpoint", ["deleted"] = true })
            : StripeResult.Missing("webhook endpoint", call.Path("id"));

    private static JsonObject Json(StripeWebhookEndpoint e, bool withSecret)
    {
        var json = new JsonObject
        {
            ["id"] = e.Id,
            ["object"] = "webhook_endpoint",
            ["api_version"] = e.ApiVersion,
            ["application"] = null,
            ["created"] = e.Created,
            ["description"] = e.Description,
            ["enabled_events"] = new JsonArray(e.EnabledEvents.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(e.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
            ["status"] = "enabled",
            ["url"] = e.Url,
        };
        if (withSecret)
        {
            json["secret"] = e.Secret;
        }

        return json;
    }

    /// <summary>Why Stripe would refuse to deliver to <paramref name="url"/>, or null.</summary>
    private static string? UrlProblem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"{url} is not an absolute http(s) URL.";
        }

        var host = uri.IdnHost;
        var local = host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (IPAddress.IsLoopback(ip) || IsPrivate(ip)));
        return local ? "URLs must be publicly accessible. Consider using a tool like the Stripe CLI to test webhooks locally." : null;
    }

    private static bool IsPrivate(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal;
        }

        var b = ip.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || b[0] == 0;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")]
    private static partial Regex ApiVersionPattern();
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BacBos.Integration.Tests.Doubles.Graph;

/// <summary>A WhatsApp Business Account in the double: its phone number and the token that may act on it.</summary>
public sealed record GraphWhatsAppAccount(string BusinessAccountId, string PhoneNumberId, string AccessToken, string DisplayPhoneNumber, string VerifiedName);

/// <summary>
/// An in-process double of the Graph API's WhatsApp Business Management calls:
/// <list type="bullet">
/// <item><c>GET /{v}/{phone-number-id}?fields=…</c>: <c>id</c> and the requested fields among display_phone_number,
/// verified_name, quality_rating.</item>
/// <item><c>GET|POST|DELETE /{v}/{waba-id}/subscribed_apps</c>: the subscribed apps
/// (<c>{"data":[{"whatsapp_business_api_data":{"id","link","name"}}]}</c>) / <c>{"success":true}</c>; subscribing twice
/// or unsubscribing an unsubscribed app also answers success, as Graph does.</item>
/// <item>Tokens as <c>Authorization: Bearer</c> or <c>access_token</c>: none → 400 code 2500; unknown → 401
/// <c>OAuthException</c> code 190; a token used on another account's object → 400 <c>GraphMethodException</c> code 100
/// subcode 33 (Graph does not reveal whether the object exists).</item>
/// <item>The version segment must look like <c>v21.0</c>.</item>
/// </list>
/// Every token belongs to the app <see cref="AppId"/>.
/// </summary>
public sealed partial class GraphDouble : IAsyncDisposable
{
    private readonly List<GraphWhatsAppAccount> _accounts = [];
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly RequestLog _requests = new();
    private LoopbackKestrel? _host;

    private GraphDouble()
    {
    }

    public const string AppId = "1234567890123456";

    public const string AppName = "BacBos Platform";

    /// <summary>Use as <c>Drivers:WhatsApp:GraphBaseUrl</c>.</summary>
    public Uri BaseAddress => _host!.BaseAddress;

    public FaultQueue Faults { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => _requests.Snapshot();

    public static async Task<GraphDouble> StartAsync()
    {
        var self = new GraphDouble();
        self._host = await LoopbackKestrel.StartAsync(app => app.Run(self.HandleAsync));
        return self;
    }

    /// <summary>A new WABA with one phone number and a system-user token for it.</summary>
    public GraphWhatsAppAccount AddWhatsAppAccount(string verifiedName = "Lagos Fresh Foods")
    {
        var account = new GraphWhatsAppAccount(
            Digits(15),
            Digits(15),
            "EAAG" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', 'x').Replace('/', 'y').TrimEnd('='),
            $"+234 803 {Digits(3)} {Digits(4)}",
            verifiedName);
        lock (_accounts)
        {
            _accounts.Add(account);
        }

        return account;
    }

    public bool IsSubscribed(string businessAccountId)
    {
        lock (_accounts)
        {
            return _subscribed.Contains(businessAccountId);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (body, headers) = await RecordedRequest.ReadAsync(context.Request);
        var (status, json) = Respond(context.Request);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.Headers["x-fb-trace-id"] = Digits(11);
        await context.Response.WriteAsync(json.ToJsonString());
        _requests.Add(RecordedRequest.Of(context.Request, headers, body, status));
    }

    private (int Status, JsonNode Body) Respond(HttpRequest request)
    {
        if (Faults.TryTake(out var fault))
        {
            return fault == 429
                ? Error(429, "(#80007) Rate limit hit for the WhatsApp Business Account.", "OAuthException", 80007)
                : Error(fault, "An unexpected error has occurred. Please retry your request later.", "OAuthException", 2, transient: true);
        }

        var segments = (request.Path.Value ?? "/").Trim('/').Split('/');
        if (segments.Length is < 2 or > 3 || !VersionPattern().IsMatch(segments[0]))
        {
            return Error(400, "Unknown path components: " + request.Path, "OAuthException", 2500);
        }

        var token = request.Headers.Authorization.ToString() is { Length: > 7 } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal)
            ? auth[7..].Trim()
            : request.Query["access_token"].ToString();
        if (token.Length == 0)
        {
            return Error(400, "An active access token must be used to query information about the current user.", "OAuthException", 2500);
        }

        GraphWhatsAppAccount? account;
        lock (_accounts)
        {
            account = _accounts.FirstOrDefault(a => a.AccessToken == token);
        }

        if (account is null)
        {
            return Error(401, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190);
        }

        var id = segments[1];
        return (segments.Length, request.Method) switch
        {
            (2, "GET") when id == account.PhoneNumberId => (200, PhoneNumber(account, request.Query["fields"].ToString())),
            (3, _) when segments[2] == "subscribed_apps" && id == account.BusinessAccountId => SubscribedApps(account, request.Method),
            (2, "GET") or (3, _) => Error(
                400,
                $"Unsupported {request.Method.ToLowerInvariant()} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                "GraphMethodException",
                100,
                subcode: 33),
            _ => Error(400, $"Unsupported {request.Method.ToLowerInvariant()} request.", "GraphMethodException", 100),
        };
    }

    private static JsonObject PhoneNumber(GraphWhatsAppAccount account, string fields)
    {
        var requested = fields.Length == 0 ? ["id", "display_phone_number", "verified_name"] : fields.Split(',', StringSplitOptions.TrimEntries);
        var json = new JsonObject();
        foreach (var field in requested)
        {
            json[field] = field switch
            {
                "display_phone_number" => account.DisplayPhoneNumber,
                "verified_name" => account.VerifiedName,
                "quality_rating" => "GREEN",
                "id" => account.PhoneNumberId,
                _ => null,
            };
        }

        json["id"] = account.PhoneNumberId;
        return json;
    }

    private (int, JsonNode) SubscribedApps(GraphWhatsAppAccount account, string method)
    {
        lock (_accounts)
        {
            switch (method)
            {
                case "GET":
                    var data = _subscribed.Contains(account.BusinessAccountId)
                        ? new JsonArray(new JsonObject
                        {
                            ["whatsapp_business_api_data"] = new JsonObject { ["id"] = AppId, ["link"] = "https://bacbos.example/", ["name"] = AppName },
                        })
                        : new JsonArray();
                    return (200, new JsonObject { ["data"] = data });
                case "POST":
                    _subscribed.Add(account.BusinessAccountId);
                    return (200, new JsonObject { ["success"] = true });
                case "DELETE":
                    _subscribed.Remove(account.BusinessAccountId);
                    return (200, new JsonObject { ["success"] = true });
                default:
                    return Error(400, $"Unsupported {method.ToLowerInvariant()} request.", "GraphMethodException", 100);
            }
        }
    }

    private static (int, JsonNode) Error(int status, string message, string type, int code, int? subcode = null, bool transient = false)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code, ["fbtrace_id"] = "A" + Digits(10) };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }

        if (transient)
        {
            error["is_transient"] = true;
        }

        return (status, new JsonObject { ["error"] = error });
    }

    private static string Digits(int count) => RandomNumberGenerator.GetString("0123456789", count);

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BacBos.Integration.Tests.Doubles.Paystack;

/// <summary>
/// An in-process double of Paystack's REST API. Every route needs <c>Authorization: Bearer sk_…</c> of a key issued by
/// <see cref="IssueSecretKey"/>: without the header 401 <c>{"status":false,"message":"No Authorization Header was found"}</c>,
/// with another key 401 <c>{"status":false,"message":"Invalid key"}</c>. Answers use Paystack's envelope
/// <c>{"status":true,"message":…,"data":…}</c>. Routes: <c>GET /transaction/totals</c> (all zero for a new
/// integration); later work adds its own through the <c>extend</c> callback of <see cref="StartAsync"/>.
/// </summary>
public sealed class PaystackDouble : IAsyncDisposable
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly RequestLog _requests = new();
    private LoopbackKestrel? _host;

    private PaystackDouble()
    {
    }

    /// <summary>Use as <c>Drivers:Paystack:BaseUrl</c>.</summary>
    public Uri BaseAddress => _host!.BaseAddress;

    public FaultQueue Faults { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => _requests.Snapshot();

    public static async Task<PaystackDouble> StartAsync(Action<IEndpointRouteBuilder, PaystackDouble>? extend = null)
    {
        var self = new PaystackDouble();
        self._host = await LoopbackKestrel.StartAsync(app =>
        {
            app.Use(self.GuardAsync);
            app.MapGet("/transaction/totals", () => Envelope("Transaction totals", new JsonObject
            {
                ["total_transactions"] = 0,
                ["unique_customers"] = 0,
                ["total_volume"] = 0,
                ["total_volume_by_currency"] = new JsonArray(),
                ["pending_transfers"] = 0,
                ["pending_transfers_by_currency"] = new JsonArray(),
            }));
            extend?.Invoke(app, self);
        });
        return self;
    }

    /// <summary>A new integration's test secret key (<c>sk_test_</c> + 40 hex digits, Paystack's format).</summary>
    public string IssueSecretKey()
    {
        var key = "sk_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        lock (_keys)
        {
            _keys.Add(key);
        }

        return key;
    }

    /// <summary>Paystack's success envelope.</summary>
    public static IResult Envelope(string message, JsonNode data) =>
        Results.Json(new JsonObject { ["status"] = true, ["message"] = message, ["data"] = data });

    public static IResult Failure(int status, string message) =>
        Results.Json(new JsonObject { ["status"] = false, ["message"] = message }, statusCode: status);

    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var (body, headers) = await RecordedRequest.ReadAsync(context.Request);
        IResult? refusal = null;
        if (Faults.TryTake(out var fault))
        {
            refusal = Failure(fault, fault == 429 ? "Too many requests" : "An error occurred");
        }
        else if (context.Request.Headers.Authorization.ToString() is not { Length: > 0 } authorization)
        {
            refusal = Failure(401, "No Authorization Header was found");
        }
        else
        {
            bool known;
            lock (_keys)
            {
                known = authorization.StartsWith("Bearer ", StringComparison.Ordinal) && _keys.Contains(authorization["Bearer ".Length..].Trim());
            }

            refusal = known ? null : Failure(401, "Invalid key");
        }

        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context);
        }
        else
        {
            await next(context);
        }

        _requests.Add(RecordedRequest.Of(context.Request, headers, body, context.Response.StatusCode));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

using System.Security.Claims;
using BacBos.Consumers.Crm.Storage;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Http;
using BacBos.Platform.Data;

namespace BacBos.Gateway.Crm;

/// <summary>The HTTP side of CRM outcomes: the caller's tenant, problem+json for every failure, the Idempotency-Key header.</summary>
public static class CrmHttp
{
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>The caller's tenant (from its API key, never from the request) and the actor recorded on changes.</summary>
    public static (Guid TenantId, string Actor) Caller(ClaimsPrincipal user) =>
        (Guid.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.TenantIdClaim)!), user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)!);

    /// <summary>The Idempotency-Key header: absent, valid, or a 400.</summary>
    public static (string? Key, IResult? Problem) IdempotencyKey(HttpRequest request)
    {
        if (!request.Headers.TryGetValue("Idempotency-Key", out var values))
        {
            return (null, null);
        }

        var key = values.ToString();
        return IdempotencyKeys.IsValidKey(key)
            ? (key, null)
            : (null, Problems.Validation(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["The Idempotency-Key header must be 1 to 255 visible ASCII characters."] }));
    }

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors) => Problems.Validation(errors.ToDictionary(e => e.Key, e => e.Value));

    /// <summary>201 with Location; a replay says so in <c>Idempotent-Replayed: true</c> and answers exactly like the first time.</summary>
    public static IResult Created<T>(HttpContext http, CrmStatus status, string location, T body)
    {
        if (status == CrmStatus.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Created(location, body);
    }

    /// <summary>200 with the mapped value, or the problem of a failed outcome.</summary>
    public static IResult Ok<T, TResponse>(CrmResult<T> result, Func<T, TResponse> map) =>
        result.Status == CrmStatus.Ok ? TypedResults.Ok(map(result.Value!)) : Problem(result);

    /// <summary>The problem for a failed outcome.</summary>
    public static IResult Problem<T>(CrmResult<T> result) =>
        result.Status switch
        {
            CrmStatus.NotFound => Problems.Create(
                StatusCodes.Status404NotFound,
                "not-found",
                $"{Capitalised(result.ProblemType ?? "resource")} not found",
                result.Detail ?? "Not found.",
                new Dictionary<string, object?> { ["resource"] = result.ProblemType }),
            CrmStatus.IllegalTransition => Problems.Create(
                StatusCodes.Status409Conflict,
                "illegal-transition",
                $"The {result.Conflict!.Resource} cannot make this change from '{result.Conflict.Current}'",
                result.Detail ?? "Illegal transition.",
                IllegalExtensions(result.Conflict)),
            CrmStatus.Invalid => Validation(result.Errors!),
            CrmStatus.Unprocessable => Problems.Create(StatusCodes.Status422UnprocessableEntity, result.ProblemType ?? "unprocessable", "The request cannot be carried out", result.Detail ?? string.Empty),
            CrmStatus.NoStorage => Problems.Create(StatusCodes.Status409Conflict, "tenant-storage-missing", "The tenant's CRM storage is not there", result.Detail ?? string.Empty),
            _ => throw new InvalidOperationException($"{result.Status} is not a failure."),
        };

    /// <summary>
    /// A tenant API group: tenant key required, a concurrency conflict that slipped past the row locks answered as 409,
    /// 401/403 documented.
    /// </summary>
    public static RouteGroupBuilder TenantApi(this RouteGroupBuilder group) =>
        group
            .RequireAuthorization(ApiKeyAuthenticationHandler.TenantRole)
            .AddEndpointFilter(async (context, next) =>
            {
                try
                {
                    return await next(context);
                }
                catch (System.Data.DBConcurrencyException ex)
                {
                    return ConcurrentChange(ex.Message);
                }
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>A lost race that slipped past the row lock: the client reads again and decides.</summary>
    public static IResult ConcurrentChange(string detail) =>
        Problems.Create(StatusCodes.Status409Conflict, "concurrent-modification", "The resource changed while this request ran", detail);

    private static Dictionary<string, object?> IllegalExtensions(CrmConflict conflict)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["resource"] = conflict.Resource,
            ["current"] = conflict.Current,
            ["allowed"] = conflict.Allowed,
        };
        foreach (var (key, value) in conflict.Extra ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }

        return extensions;
    }

    private static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}

using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BacBos.Gateway.Http;

/// <summary>
/// A request that fails because the database is unreachable for a moment (a restart, a failover, an exhausted pool)
/// answers 503 problem+json with <c>Retry-After</c>, not 500: nothing was half-written (every write is one
/// transaction) and the same request can simply be sent again — with its Idempotency-Key, safely.
/// </summary>
public sealed class StorageUnavailableHandler(IProblemDetailsService problems, ILogger<StorageUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageOutage(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("Database unavailable for {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = "https://bacbos.dev/problems/service-unavailable",
                Title = "The platform database is unavailable",
                Detail = $"The request was not processed; retry after {RetryAfterSeconds} s (with the same Idempotency-Key for a POST).",
            },
        });
    }

    /// <summary>Connection-level and transient database failures, wherever they are wrapped.</summary>
    public static bool IsStorageOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { IsTransient: true }:
                case Npgsql.NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                case Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "53300" }:
                case SocketException:
                    return true;
            }
        }

        return false;
    }
}

using Microsoft.AspNetCore.Mvc;

namespace BacBos.Gateway.Http;

/// <summary>RFC 7807 problem responses with stable <c>type</c> URIs.</summary>
public static class Problems
{
    private const string TypeBase = "https://bacbos.dev/problems/";

    public static IResult Create(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Type = TypeBase + type,
            Title = title,
            Detail = detail,
            Extensions = extensions ?? new Dictionary<string, object?>(),
        });

    public static IResult Validation(IDictionary<string, string[]> errors, string detail = "One or more fields are missing or invalid; see errors.") =>
        TypedResults.ValidationProblem(errors, detail, type: TypeBase + "validation", title: "The request is invalid");

    public static IResult MalformedJson(string detail) => Create(StatusCodes.Status400BadRequest, "malformed-json", "The request body is not valid JSON for this endpoint", detail);

    public static IResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The request body is too large", $"The body exceeds the limit of {limit} bytes.", new Dictionary<string, object?> { ["limit_bytes"] = limit });

    public static IResult UnsupportedMediaType(string? contentType) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", $"Expected 'application/json', got '{contentType ?? "(none)"}'.");

    /// <summary>422: the Idempotency-Key was first used with another request; <paramref name="idName"/> names the resource it made.</summary>
    public static IResult IdempotencyKeyReused(string detail, string idName, Guid id) =>
        Create(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "Idempotency-Key already used for a different request", detail, new Dictionary<string, object?> { [idName] = id });

    public static IResult NotFound(string what, string id) => Create(StatusCodes.Status404NotFound, "not-found", $"{what} not found", $"No {what.ToLowerInvariant()} with id '{id}'.");
}

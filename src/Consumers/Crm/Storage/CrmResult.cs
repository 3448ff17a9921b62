namespace BacBos.Consumers.Crm.Storage;

/// <summary>How a CRM operation ended, in terms an HTTP endpoint or a consumer can act on.</summary>
public enum CrmStatus
{
    /// <summary>Done (or nothing to do); <see cref="CrmResult{T}.Value"/> is the resource.</summary>
    Ok,

    /// <summary>A new resource was created.</summary>
    Created,

    /// <summary>The same Idempotency-Key and body as before: the resource created then.</summary>
    Replayed,

    /// <summary>The tenant has no CRM storage (unknown, not provisioned yet, or removed).</summary>
    NoStorage,

    /// <summary>An id (in the path or the body) names nothing this tenant has.</summary>
    NotFound,

    /// <summary>The lifecycle does not allow the change from the current state.</summary>
    IllegalTransition,

    /// <summary>Field problems (<see cref="CrmResult{T}.Errors"/>).</summary>
    Invalid,

    /// <summary>Well-formed but impossible (no FX rate, Idempotency-Key reused with another body…).</summary>
    Unprocessable,
}

/// <summary>A conflict with a lifecycle: the state the resource is in and the states it may move to.</summary>
public sealed record CrmConflict(string Resource, string Current, IReadOnlyList<string> Allowed, IReadOnlyDictionary<string, object?>? Extra = null);

/// <summary>The outcome of a CRM operation.</summary>
public sealed record CrmResult<T>(
    CrmStatus Status,
    T? Value = default,
    string? Detail = null,
    CrmConflict? Conflict = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? ProblemType = null)
{
    public static CrmResult<T> Ok(T value) => new(CrmStatus.Ok, value);

    public static CrmResult<T> Created(T value) => new(CrmStatus.Created, value);

    public static CrmResult<T> Replayed(T value) => new(CrmStatus.Replayed, value);

    public static CrmResult<T> NoStorage() => new(CrmStatus.NoStorage, Detail: "The tenant has no CRM storage (its activation has not set up its database).");

    public static CrmResult<T> NotFound(string what, Guid id) => new(CrmStatus.NotFound, Detail: $"No {what} with id '{id:D}'.", ProblemType: what);

    public static CrmResult<T> Illegal(CrmConflict conflict, string detail) => new(CrmStatus.IllegalTransition, Detail: detail, Conflict: conflict);

    public static CrmResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(CrmStatus.Invalid, Errors: errors);

    public static CrmResult<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static CrmResult<T> Unprocessable(string problemType, string detail) => new(CrmStatus.Unprocessable, Detail: detail, ProblemType: problemType);

    /// <summary>The same failure for another result type.</summary>
    public CrmResult<TOther> As<TOther>() => new(Status, default, Detail, Conflict, Errors, ProblemType);
}

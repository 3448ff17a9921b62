using BacBos.Platform.Data;
using MassTransit;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>
/// Creating under an <c>Idempotency-Key</c> (per tenant and resource kind): the key is claimed for the new id in the
/// creating transaction; a replay with the same request answers what the key created; the key with another request is
/// refused (422).
/// </summary>
internal static class IdempotentCreation
{
    public static async Task<CrmResult<T>> RunAsync<T>(
        CrmSession s,
        string resource,
        string? key,
        object request,
        DateTimeOffset now,
        Func<Guid, Task<T?>> findCreated,
        Func<Guid, Task<CrmResult<T>>> create,
        CancellationToken cancellationToken)
        where T : class
    {
        var id = NewId.NextGuid();
        if (key is null)
        {
            return await create(id);
        }

        var claim = await IdempotencyKeys.ClaimAsync(s.Db, $"crm.{resource}:{s.TenantId:N}", key, IdempotencyKeys.Hash(request), id, now, cancellationToken);
        if (claim.Outcome == IdempotencyKeys.Outcome.Claimed)
        {
            return await create(id);
        }

        return claim.Outcome == IdempotencyKeys.Outcome.Replay && await findCreated(claim.ResourceId) is { } earlier
            ? CrmResult<T>.Replayed(earlier)
            : CrmResult<T>.Unprocessable(
                "idempotency-key-reused",
                $"This Idempotency-Key was first used with a different request (it created '{claim.ResourceId:D}'); use a new key for a new resource.");
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BacBos.Platform.Data;

/// <summary>
/// <c>Idempotency-Key</c> records (<c>idempotency_keys</c>): the first request with a key claims it for the resource it
/// creates, in the request's own transaction; a later request with the same key and the same canonical body is a replay
/// of that resource; the same key with another body is a mistake the caller must see. Concurrent requests with one key
/// serialise on the primary key, so exactly one creates.
/// </summary>
public static class IdempotencyKeys
{
    public enum Outcome
    {
        /// <summary>The key is new: create the resource under <see cref="Claim.ResourceId"/>.</summary>
        Claimed,

        /// <summary>The key was used before with the same body: answer with the existing resource.</summary>
        Replay,

        /// <summary>The key was used before with a different body.</summary>
        Mismatch,
    }

    public sealed record Claim(Outcome Outcome, Guid ResourceId);

    /// <summary>Valid keys: 1 to 255 visible ASCII characters.</summary>
    public static bool IsValidKey(string key) => key.Length is > 0 and <= 255 && key.All(c => c is >= '!' and <= '~');

    /// <summary>SHA-256 (hex) of the canonical JSON of a normalised request, so formatting differences are the same request.</summary>
    public static string Hash<T>(T canonicalRequest) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(canonicalRequest))));

    /// <summary>Claims <paramref name="key"/> in <paramref name="scope"/> for <paramref name="newResourceId"/> unless it was claimed before.</summary>
    public static async Task<Claim> ClaimAsync(DbSession session, string scope, string key, string requestHash, Guid newResourceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = session.Database;
        var inserted = await session.ExecuteAsync(
            "INSERT INTO idempotency_keys (scope, key, request_hash, resource_id, created_at) VALUES (@s, @k, @h, @r, @t) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("s", scope),
            ("k", key),
            ("h", requestHash),
            ("r", db.Id(newResourceId)),
            ("t", db.Time(now)));
        if (inserted > 0)
        {
            return new Claim(Outcome.Claimed, newResourceId);
        }

        await using var command = session.Command("SELECT request_hash, resource_id FROM idempotency_keys WHERE scope = @s AND key = @k", ("s", scope), ("k", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Idempotency key '{key}' in '{scope}' conflicted but cannot be read.");
        }

        return new Claim(reader.GetString(0) == requestHash ? Outcome.Replay : Outcome.Mismatch, Database.ReadId(reader, 1));
    }
}

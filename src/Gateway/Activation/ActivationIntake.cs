using BacBos.Contracts.Activation;
using BacBos.Platform.Data;
using BacBos.Platform.Hosting;
using BacBos.Platform.Outbox;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Gateway.Activation;

/// <summary>
/// Turns a validated, normalised profile into an activation: resolves the <c>Idempotency-Key</c> (same key + same
/// profile = same activation, atomically, also under concurrency), then publishes <see cref="SubmitActivation"/>.
/// The command is stored in the bus outbox in the same transaction as the idempotency key and the request record, so
/// nothing is recorded without its command or sent without its record. A replayed key stores the command again — the
/// saga ignores it once started — so even a lost outbox heals on the client's retry.
/// </summary>
public sealed class ActivationIntake(Database database, BusOutbox outbox, TimeProvider time, ILogger<ActivationIntake> logger)
{
    public const string Scope = "activate";

    public enum Outcome
    {
        Accepted,
        KeyReusedWithDifferentBody,
    }

    public async Task<(Outcome Outcome, Guid ActivationId)> SubmitAsync(BusinessActivationInput input, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var activationId = NewId.NextGuid();
        var replay = false;
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            if (idempotencyKey is not null)
            {
                var claim = await IdempotencyKeys.ClaimAsync(session, Scope, idempotencyKey, RequestHash(input), activationId, time.GetUtcNow(), cancellationToken);
                if (claim.Outcome == IdempotencyKeys.Outcome.Mismatch)
                {
                    return (Outcome.KeyReusedWithDifferentBody, claim.ResourceId);
                }

                activationId = claim.ResourceId;
                replay = claim.Outcome == IdempotencyKeys.Outcome.Replay;
            }

            await session.ExecuteAsync(
                "INSERT INTO activation_requests (activation_id, submitted_at) VALUES (@a, @t) ON CONFLICT DO NOTHING",
                cancellationToken,
                ("a", database.Id(activationId)),
                ("t", database.Time(time.GetUtcNow())));

            // The command commits with the request's writes (bus outbox) and is published right after the commit.
            await outbox.PublishAsync(session, new SubmitActivation(activationId, input, time.GetUtcNow()), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        outbox.Signal();
        BacBosMetrics.ActivationSubmitted(replay);
        logger.LogInformation(
            "Activation {ActivationId} submitted for {BusinessName} ({Industry}, {Region}){Replay}",
            activationId,
            input.BusinessName,
            input.Industry,
            input.Region,
            replay ? " as an idempotent replay" : string.Empty);
        return (Outcome.Accepted, activationId);
    }

    /// <summary>When the gateway accepted the activation, or null if it never did (the id is unknown).</summary>
    public async Task<DateTimeOffset?> AcceptedAtAsync(Guid activationId, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var value = await session.ScalarAsync("SELECT submitted_at FROM activation_requests WHERE activation_id = @a", cancellationToken, ("a", database.Id(activationId)));
        return value switch
        {
            null => null,
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            var other => DateTimeOffset.Parse(other.ToString()!, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>SHA-256 of the canonical (normalised) profile, so formatting and case differences are the same request.</summary>
    public static string RequestHash(BusinessActivationInput input) => IdempotencyKeys.Hash(input);
}

using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Storage;
using BacBos.Contracts.Payments;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Payments.Consumers;

/// <summary>
/// A provider event about a dispute of a payment, in one tenant transaction: the first event of a dispute records its
/// row and publishes <see cref="PaymentDisputed"/>; a later event replaces the state when <see cref="DisputeRules"/> lets
/// it (never an older event, never over a closed dispute); the funds flags are facts and are kept whenever their event
/// arrives. Closing publishes <see cref="PaymentDisputeClosed"/>. Message ids derive from the dispute, so each is
/// published once per dispute however often or in whatever order the events come.
/// </summary>
public sealed class RecordPaymentDisputeConsumer(CrmStorage storage, TimeProvider time, ILogger<RecordPaymentDisputeConsumer> logger) : IConsumer<RecordPaymentDispute>
{
    public async Task Consume(ConsumeContext<RecordPaymentDispute> context)
    {
        var m = context.Message;
        var cancellationToken = context.CancellationToken;
        var outcome = await storage.WriteAsync(
            m.TenantId,
            async s =>
            {
                if (await PaymentWriter.FindAsync(s, m.PaymentId, false, cancellationToken) is null)
                {
                    return CrmResult<string>.Ok("unknown payment");
                }

                var now = time.GetUtcNow();
                var incoming = DisputeRow.From(m, now);
                if (await DisputeWriter.InsertAsync(s, incoming, cancellationToken) == 1)
                {
                    var disputed = new PaymentDisputed(
                        m.TenantId, m.PaymentId, m.DisputeId, m.Gateway, m.AmountMinor, m.Currency, m.Reason, m.Status, m.EvidenceDueBy, m.DisputedAt ?? m.EventAt);
                    await s.PublishCommandAsync(disputed, PaymentMessageIds.For("disputed", m.PaymentId, m.DisputeId), m.PaymentId, cancellationToken);
                    await PublishClosedAsync(s, m, incoming, cancellationToken);
                    return CrmResult<string>.Ok($"recorded {m.Status}");
                }

                if (await DisputeWriter.FindAsync(s, m.DisputeId, cancellationToken) is not { } current || current.PaymentId != m.PaymentId)
                {
                    return CrmResult<string>.Ok("another payment's dispute");
                }

                var withdrawn = current.FundsWithdrawn || m.FundsWithdrawn;
                var reinstated = current.FundsReinstated || m.FundsReinstated;
                if (DisputeRules.Supersedes(current.Status, current.LastEventAt, m.Status, m.EventAt))
                {
                    var next = incoming with
                    {
                        FundsWithdrawn = withdrawn,
                        FundsReinstated = reinstated,
                        DisputedAt = m.DisputedAt ?? current.DisputedAt,
                        CreatedAt = current.CreatedAt,
                    };
                    await DisputeWriter.UpdateAsync(s, next, cancellationToken);
                    await PublishClosedAsync(s, m, next, cancellationToken);
                    return CrmResult<string>.Ok($"{current.Status} -> {m.Status}");
                }

                if (withdrawn != current.FundsWithdrawn || reinstated != current.FundsReinstated)
                {
                    await DisputeWriter.UpdateAsync(s, current with { FundsWithdrawn = withdrawn, FundsReinstated = reinstated, UpdatedAt = now }, cancellationToken);
                    return CrmResult<string>.Ok("funds recorded");
                }

                return CrmResult<string>.Ok($"unchanged ({current.Status}; the event is older or the dispute closed)");
            },
            cancellationToken);

        logger.LogInformation(
            "{Gateway} event {EventId}: dispute {DisputeId} of payment {PaymentId} (tenant {TenantId}): {Outcome}",
            m.Gateway, m.EventId, m.DisputeId, m.PaymentId, m.TenantId, outcome.Value);
    }

    private static async Task PublishClosedAsync(CrmSession s, RecordPaymentDispute m, DisputeRow d, CancellationToken cancellationToken)
    {
        if (!DisputeStatus.IsClosed(d.Status))
        {
            return;
        }

        var closed = new PaymentDisputeClosed(
            m.TenantId, m.PaymentId, d.Id, d.Provider, d.AmountMinor, d.Currency, d.Reason, d.Status, d.FundsWithdrawn, d.FundsReinstated, d.ClosedAt ?? m.EventAt);
        await s.PublishCommandAsync(closed, PaymentMessageIds.For("dispute-closed", m.PaymentId, d.Id), m.PaymentId, cancellationToken);
    }
}

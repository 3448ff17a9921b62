using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Storage;
using BacBos.Contracts.Payments;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Payments.Consumers;

/// <summary>
/// A refund the gateway reported failed after the fact. Found by our id, else by the gateway's refund id, else (Paystack
/// names neither) as the oldest pending or succeeded refund of the payment with the reported amount, in the
/// tenant's own tables: a <c>succeeded</c> refund becomes <c>reversed</c>, leaves the refunded total and
/// <see cref="PaymentRefundReversed"/> is published (message id derived from the refund, so once per refund); a refund
/// still <c>pending</c> (the webhook overtook our own settle) is settled <c>failed</c>, releasing its reservation, so the
/// later settle finds nothing pending; a refund already failed or reversed, or one we do not know, is left alone.
/// </summary>
public sealed class ReverseRefundConsumer(CrmStorage storage, TimeProvider time, ILogger<ReverseRefundConsumer> logger) : IConsumer<ReverseRefund>
{
    public async Task Consume(ConsumeContext<ReverseRefund> context)
    {
        var m = context.Message;
        var cancellationToken = context.CancellationToken;
        var outcome = await storage.WriteAsync(
            m.TenantId,
            async s =>
            {
                var refund = m.RefundId is { } id ? await PaymentWriter.FindRefundAsync(s, id, forUpdate: true, cancellationToken) : null;
                if (refund is null && m.GatewayReference is { } reference)
                {
                    // Found by the gateway's id: read it again locked, as by our id, so two reports of one failure reverse it once.
                    refund = await PaymentWriter.FindRefundByReferenceAsync(s, m.PaymentId, reference, cancellationToken) is { } byReference
                        ? await PaymentWriter.FindRefundAsync(s, byReference.Id, forUpdate: true, cancellationToken)
                        : null;
                }

                if (refund is null && m.RefundId is null && m.AmountMinor is { } amount)
                {
                    // Paystack names neither id: the oldest refund of this payment and amount still standing.
                    refund = await PaymentWriter.FindStandingRefundByAmountAsync(s, m.PaymentId, amount, cancellationToken);
                }

                if (refund is null || refund.PaymentId != m.PaymentId || await PaymentWriter.FindAsync(s, m.PaymentId, false, cancellationToken) is not { } payment)
                {
                    return CrmResult<string>.Ok("unknown");
                }

                var now = time.GetUtcNow();
                switch (refund.Status)
                {
                    case RefundStatus.Pending:
                        await PaymentWriter.SettleRefundAsync(s, refund, RefundStatus.Failed, m.GatewayReference, m.Reason, now, cancellationToken);
                        return CrmResult<string>.Ok(RefundStatus.Failed);
                    case RefundStatus.Succeeded:
                        await PaymentWriter.ReverseRefundAsync(s, refund, m.Reason, now, cancellationToken);
                        var reversed = new PaymentRefundReversed(
                            m.TenantId, m.PaymentId, refund.Id, payment.Gateway, refund.GatewayReference, refund.AmountMinor, refund.Currency, m.Reason, now);
                        await s.PublishCommandAsync(reversed, PaymentMessageIds.For("refund-reversed", refund.Id), m.PaymentId, cancellationToken);
                        return CrmResult<string>.Ok(RefundStatus.Reversed);
                    default:
                        return CrmResult<string>.Ok("unchanged");
                }
            },
            cancellationToken);

        if (outcome.Value is null or "unknown")
        {
            logger.LogWarning(
                "{Gateway} event {EventId} reports a failed refund ({RefundId} / {Reference}) of payment {PaymentId} that tenant {TenantId} does not have; ignored",
                m.Gateway, m.EventId, m.RefundId, m.GatewayReference, m.PaymentId, m.TenantId);
        }
        else
        {
            logger.LogInformation("{Gateway} event {EventId}: refund of payment {PaymentId} (tenant {TenantId}) {Outcome}: {Reason}", m.Gateway, m.EventId, m.PaymentId, m.TenantId, outcome.Value, m.Reason);
        }
    }
}

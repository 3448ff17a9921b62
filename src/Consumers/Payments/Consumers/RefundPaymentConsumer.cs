using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Gateways;
using BacBos.Consumers.Payments.Storage;
using BacBos.Contracts.Payments;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Payments.Consumers;

/// <summary>
/// Carries out a pending refund at the payment's gateway (Stripe: idempotency key per refund), then settles it: the
/// refunded total grows and <see cref="PaymentRefunded"/> is published (its message id derived from the refund), or
/// the refund fails with the gateway's reason and its reserved amount is released. A refund already settled is left alone.
/// </summary>
public sealed class RefundPaymentConsumer(CrmStorage storage, PaymentGatewayDrivers drivers, TimeProvider time, ILogger<RefundPaymentConsumer> logger)
    : IConsumer<RefundPayment>
{
    public async Task Consume(ConsumeContext<RefundPayment> context)
    {
        var m = context.Message;
        var found = await storage.ReadAsync(
            m.TenantId,
            async s => CrmResult<(PaymentRow?, RefundRow?)>.Ok((await PaymentWriter.FindAsync(s, m.PaymentId, false, context.CancellationToken), await PaymentWriter.FindRefundAsync(s, m.RefundId, false, context.CancellationToken))),
            context.CancellationToken);
        if (found.Value is not ({ } payment, { Status: RefundStatus.Pending } refund))
        {
            return;
        }

        string? reference = null;
        string? refusal = null;
        try
        {
            reference = await drivers.Get(payment.Gateway).RefundAsync(m.TenantId, payment, refund, context.CancellationToken);
        }
        catch (PaymentGatewayRefusedException ex)
        {
            refusal = ex.Message;
        }

        await storage.WriteAsync(
            m.TenantId,
            async s =>
            {
                if (await PaymentWriter.FindRefundAsync(s, m.RefundId, forUpdate: true, context.CancellationToken) is not { Status: RefundStatus.Pending } pending)
                {
                    return CrmResult<bool>.Ok(false);
                }

                var now = time.GetUtcNow();
                await PaymentWriter.SettleRefundAsync(s, pending, refusal is null ? RefundStatus.Succeeded : RefundStatus.Failed, reference, refusal, now, context.CancellationToken);
                if (refusal is not null)
                {
                    logger.LogWarning("Refund {RefundId} of payment {PaymentId} (tenant {TenantId}) refused: {Reason}", m.RefundId, m.PaymentId, m.TenantId, refusal);
                    return CrmResult<bool>.Ok(false);
                }

                var after = (await PaymentWriter.FindAsync(s, m.PaymentId, false, context.CancellationToken))!;
                var refunded = new PaymentRefunded(
                    m.TenantId, m.PaymentId, m.RefundId, payment.Gateway, reference!, pending.AmountMinor, pending.Currency, pending.Reason,
                    after.RefundedMinor == after.AmountMinor, now);
                await s.PublishCommandAsync(refunded, PaymentMessageIds.For("refunded", m.RefundId), m.PaymentId, context.CancellationToken);
                return CrmResult<bool>.Ok(true);
            },
            context.CancellationToken);
    }
}

using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Gateways;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Payments.Consumers;

/// <summary>
/// No webhook came by the deadline: asks the gateway for the payment's state and tells the saga (source
/// <c>verification</c>). A refusal (the gateway does not know the payment, or is no longer configured) is a failure.
/// </summary>
public sealed class VerifyPaymentConsumer(CrmStorage storage, PaymentGatewayDrivers drivers, TimeProvider time) : IConsumer<VerifyPayment>
{
    public async Task Consume(ConsumeContext<VerifyPayment> context)
    {
        var m = context.Message;
        (string Outcome, string? Reason) answer;
        try
        {
            answer = await drivers.Get(m.Gateway).VerifyAsync(m.TenantId, m.GatewayReference, context.CancellationToken);
        }
        catch (PaymentGatewayRefusedException ex)
        {
            answer = ("failed", ex.Message);
        }

        var outcome = new PaymentGatewayOutcome(m.PaymentId, m.TenantId, m.Gateway, answer.Outcome, m.GatewayReference, answer.Reason, "verification", null, time.GetUtcNow());
        await storage.WriteAsync(
            m.TenantId,
            async s =>
            {
                await s.PublishCommandAsync(outcome, PaymentMessageIds.For("verified", m.PaymentId, m.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)), m.PaymentId, context.CancellationToken);
                return CrmResult<bool>.Ok(true);
            },
            context.CancellationToken);
    }
}

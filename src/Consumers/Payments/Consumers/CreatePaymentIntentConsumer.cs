using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Gateways;
using BacBos.Consumers.Payments.Storage;
using BacBos.Contracts.Payments;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Payments.Consumers;

/// <summary>
/// Creates the payment at its gateway and records the answer (client secret, next action, checkout URL) on the
/// payment row with the saga's reply in one transaction. A repeat asks the gateway again with the same idempotency
/// key (Stripe) or reference (Paystack) and so records the same intent. A refusal — declined, invalid, gateway not
/// configured — is the saga's <see cref="PaymentIntentFailed"/>; transient failures are retried by the endpoint.
/// </summary>
public sealed class CreatePaymentIntentConsumer(CrmStorage storage, PaymentGatewayDrivers drivers, TimeProvider time, ILogger<CreatePaymentIntentConsumer> logger)
    : IConsumer<CreatePaymentIntent>
{
    public async Task Consume(ConsumeContext<CreatePaymentIntent> context)
    {
        var m = context.Message;
        var payment = (await storage.ReadAsync(m.TenantId, async s => CrmResult<PaymentRow>.Ok((await PaymentWriter.FindAsync(s, m.PaymentId, false, context.CancellationToken))!), context.CancellationToken)).Value;
        if (payment is null)
        {
            logger.LogWarning("Payment {PaymentId} of tenant {TenantId} not found; intent not created", m.PaymentId, m.TenantId);
            return;
        }

        GatewayIntent? intent = null;
        string? refusal = null;
        try
        {
            intent = await drivers.Get(m.Gateway).CreateAsync(m.TenantId, payment, context.CancellationToken);
        }
        catch (PaymentGatewayRefusedException ex)
        {
            refusal = ex.Message;
        }

        await storage.WriteAsync(
            m.TenantId,
            async s =>
            {
                if (intent is null || intent.Status == PaymentStatus.Failed)
                {
                    var reason = refusal ?? intent!.FailureReason ?? $"{m.Gateway} refused the payment";
                    logger.LogInformation("Payment {PaymentId} of tenant {TenantId} refused by {Gateway}: {Reason}", m.PaymentId, m.TenantId, m.Gateway, reason);
                    await s.PublishCommandAsync(new PaymentIntentFailed(m.PaymentId, m.TenantId, m.Gateway, reason), PaymentMessageIds.For("intent-failed", m.PaymentId), m.PaymentId, context.CancellationToken);
                    return CrmResult<bool>.Ok(true);
                }

                var shown = intent.Status == PaymentStatus.RequiresAction ? PaymentStatus.RequiresAction : PaymentStatus.AwaitingPayment;
                var record = new GatewayIntentRecord(shown, intent.Reference, intent.ClientSecret, intent.NextAction, intent.AuthorizationUrl, intent.AccessCode, intent.FailureReason);
                await PaymentWriter.RecordIntentAsync(s, m.PaymentId, record, time.GetUtcNow(), context.CancellationToken);
                await s.PublishCommandAsync(
                    new PaymentIntentCreated(m.PaymentId, m.TenantId, m.Gateway, intent.Reference, shown), PaymentMessageIds.For("intent-created", m.PaymentId), m.PaymentId, context.CancellationToken);
                if (intent.Status == PaymentStatus.Succeeded)
                {
                    // Confirmed at creation (a saved card without 3-D Secure): the webhook will say so too; the saga takes whichever comes first.
                    var outcome = new PaymentGatewayOutcome(m.PaymentId, m.TenantId, m.Gateway, PaymentStatus.Succeeded, intent.Reference, null, "intent", null, time.GetUtcNow());
                    await s.PublishCommandAsync(outcome, PaymentMessageIds.For("intent-succeeded", m.PaymentId), m.PaymentId, context.CancellationToken);
                }

                return CrmResult<bool>.Ok(true);
            },
            context.CancellationToken);
    }
}

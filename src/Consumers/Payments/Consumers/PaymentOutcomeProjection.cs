using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Payments.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Payments.Consumers;

/// <summary>
/// The saga's outcomes onto the payment row the API reads: succeeded (final) or failed with the reason. Idempotent:
/// the row changes only when the status differs, and a failure never replaces a success.
/// </summary>
public sealed class PaymentOutcomeProjection(CrmStorage storage) : IConsumer<PaymentCompleted>, IConsumer<PaymentFailed>
{
    public Task Consume(ConsumeContext<PaymentCompleted> context) =>
        RecordAsync(context.Message.TenantId, context.Message.PaymentId, PaymentStatus.Succeeded, context.Message.GatewayReference, null, context.Message.CompletedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<PaymentFailed> context) =>
        RecordAsync(context.Message.TenantId, context.Message.PaymentId, PaymentStatus.Failed, null, context.Message.Reason, context.Message.FailedAt, context.CancellationToken);

    private Task RecordAsync(Guid tenantId, Guid paymentId, string status, string? reference, string? reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        storage.WriteAsync(
            tenantId,
            async s => CrmResult<int>.Ok(await PaymentWriter.RecordOutcomeAsync(s, paymentId, status, string.IsNullOrEmpty(reference) ? null : reference, reason, at, cancellationToken)),
            cancellationToken);
}

using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A refund becomes a credit note against its payment's invoice (one per refund id), rendered, stored and emailed once.</summary>
public sealed class PaymentRefundedConsumer(InvoiceStore store, InvoiceDelivery delivery) : IConsumer<PaymentRefunded>
{
    public async Task Consume(ConsumeContext<PaymentRefunded> context)
    {
        var id = await store.RecordRefundAsync(context.Message, context.CancellationToken);
        await delivery.DeliverAsync(context.Message.TenantId, id, context.CancellationToken);
    }
}

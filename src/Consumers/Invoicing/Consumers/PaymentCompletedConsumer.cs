using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A completed payment becomes a paid invoice (or settles the open invoice it names), rendered, stored and emailed once.</summary>
public sealed class PaymentCompletedConsumer(InvoiceStore store, InvoiceDelivery delivery) : IConsumer<PaymentCompleted>
{
    public async Task Consume(ConsumeContext<PaymentCompleted> context)
    {
        var id = await store.RecordPaymentAsync(context.Message, context.CancellationToken);
        await delivery.DeliverAsync(context.Message.TenantId, id, context.CancellationToken);
    }
}

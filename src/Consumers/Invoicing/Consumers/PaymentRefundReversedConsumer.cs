using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A refund reversed at its gateway voids the credit note issued for it; the void revision is rendered, stored and emailed once.</summary>
public sealed class PaymentRefundReversedConsumer(InvoiceStore store, InvoiceDelivery delivery) : IConsumer<PaymentRefundReversed>
{
    public async Task Consume(ConsumeContext<PaymentRefundReversed> context)
    {
        var id = await store.VoidRefundCreditNoteAsync(context.Message, context.CancellationToken);
        await delivery.DeliverAsync(context.Message.TenantId, id, context.CancellationToken);
    }
}

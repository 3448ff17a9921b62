using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A refund becomes a credit note against its payment's invoice (one per refund id); its delivery is queued with it.</summary>
public sealed class PaymentRefundedConsumer(InvoiceStore store) : IConsumer<PaymentRefunded>
{
    public Task Consume(ConsumeContext<PaymentRefunded> context) => store.RecordRefundAsync(context.Message, context.CancellationToken);
}

using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A refund reversed at its gateway voids the credit note issued for it; the void revision's delivery is queued with it.</summary>
public sealed class PaymentRefundReversedConsumer(InvoiceStore store) : IConsumer<PaymentRefundReversed>
{
    public Task Consume(ConsumeContext<PaymentRefundReversed> context) => store.VoidRefundCreditNoteAsync(context.Message, context.CancellationToken);
}

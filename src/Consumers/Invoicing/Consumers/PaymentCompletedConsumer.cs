using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A completed payment becomes a paid invoice (or settles the open invoice it names); its delivery is queued with it.</summary>
public sealed class PaymentCompletedConsumer(InvoiceStore store) : IConsumer<PaymentCompleted>
{
    public Task Consume(ConsumeContext<PaymentCompleted> context) => store.RecordPaymentAsync(context.Message, context.CancellationToken);
}

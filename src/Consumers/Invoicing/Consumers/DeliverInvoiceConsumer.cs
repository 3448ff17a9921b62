using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Contracts.Invoicing;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>
/// Stores and emails what a document's current revision still lacks, nothing twice: the delivery each recording queues,
/// and the sweeper's and the API's re-queues. An SMTP or S3 outage fails this consume (retried, redelivered, then
/// <c>_error</c>), never the recording's.
/// </summary>
public sealed class DeliverInvoiceConsumer(InvoiceDelivery delivery) : IConsumer<DeliverInvoice>
{
    public Task Consume(ConsumeContext<DeliverInvoice> context) =>
        delivery.DeliverAsync(context.Message.TenantId, context.Message.InvoiceId, context.CancellationToken);
}

using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Contracts.Invoicing;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>Stores and emails what a document's current revision still lacks (the sweeper's and the API's redelivery); nothing twice.</summary>
public sealed class DeliverInvoiceConsumer(InvoiceDelivery delivery) : IConsumer<DeliverInvoice>
{
    public Task Consume(ConsumeContext<DeliverInvoice> context) =>
        delivery.DeliverAsync(context.Message.TenantId, context.Message.InvoiceId, context.CancellationToken);
}

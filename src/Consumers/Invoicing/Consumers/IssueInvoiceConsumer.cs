using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Invoicing;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A CRM invoice draft becomes an open, numbered invoice with a payment link, rendered, stored and emailed once.</summary>
public sealed class IssueInvoiceConsumer(InvoiceStore store, InvoiceDelivery delivery) : IConsumer<IssueInvoice>
{
    public async Task Consume(ConsumeContext<IssueInvoice> context)
    {
        var id = await store.IssueAsync(context.Message, context.CancellationToken);
        await delivery.DeliverAsync(context.Message.TenantId, id, context.CancellationToken);
    }
}

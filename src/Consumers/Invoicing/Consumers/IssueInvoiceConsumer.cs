using BacBos.Consumers.Invoicing.Storage;
using BacBos.Contracts.Invoicing;
using MassTransit;

namespace BacBos.Consumers.Invoicing.Consumers;

/// <summary>A CRM invoice draft becomes an open, numbered invoice with a payment link; its delivery is queued with it.</summary>
public sealed class IssueInvoiceConsumer(InvoiceStore store) : IConsumer<IssueInvoice>
{
    public Task Consume(ConsumeContext<IssueInvoice> context) => store.IssueAsync(context.Message, context.CancellationToken);
}

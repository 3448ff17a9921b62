using MassTransit;

namespace BacBos.Platform.Messaging;

/// <summary>
/// Fault injection for tests only (<c>Bus:Testing:DuplicateEveryMessage=true</c>): the outermost filter of every
/// endpoint hands each received message to the endpoint twice, one after the other, as a broker redelivery would
/// (same message id, same body). The inboxes must make the outcome identical to a run without duplicates.
/// </summary>
public sealed class DuplicateDeliveryFilter : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await next.Send(context);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("duplicateDelivery");
}

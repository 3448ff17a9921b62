using BacBos.Contracts.Crm;
using MassTransit;

namespace BacBos.Consumers.Crm.Inbound;

/// <summary>
/// <see cref="SubmitInboundLead"/> from the bus (the Kafka inbound consumer publishes it). A rejected message goes to
/// this endpoint's <c>_error</c> queue with the reason, without retries.
/// </summary>
public sealed class SubmitInboundLeadConsumer(LeadIntake intake) : IConsumer<SubmitInboundLead>
{
    public Task Consume(ConsumeContext<SubmitInboundLead> context) => intake.SubmitAsync(context.Message, context.CancellationToken);
}

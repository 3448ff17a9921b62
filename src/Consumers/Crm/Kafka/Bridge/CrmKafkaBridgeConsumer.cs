using BacBos.Contracts.Crm;
using MassTransit;

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>
/// Bus → Kafka for the seven CRM events that have a topic, all on one endpoint (<c>bacbos-crm-kafka-bridge</c>).
/// Registered only when <c>Crm:Kafka:BootstrapServers</c> is set (<see cref="CrmKafkaRegistration.AddCrmKafkaBridge"/>).
/// </summary>
public sealed class CrmKafkaBridgeConsumer(CrmKafkaBridge bridge) :
    IConsumer<LeadCreated>,
    IConsumer<LeadStatusChanged>,
    IConsumer<LeadConverted>,
    IConsumer<OpportunityCreated>,
    IConsumer<OpportunityStageChanged>,
    IConsumer<OpportunityWon>,
    IConsumer<OpportunityLost>
{
    public Task Consume(ConsumeContext<LeadCreated> context) => bridge.ForwardAsync(context);

    public Task Consume(ConsumeContext<LeadStatusChanged> context) => bridge.ForwardAsync(context);

    public Task Consume(ConsumeContext<LeadConverted> context) => bridge.ForwardAsync(context);

    public Task Consume(ConsumeContext<OpportunityCreated> context) => bridge.ForwardAsync(context);

    public Task Consume(ConsumeContext<OpportunityStageChanged> context) => bridge.ForwardAsync(context);

    public Task Consume(ConsumeContext<OpportunityWon> context) => bridge.ForwardAsync(context);

    public Task Consume(ConsumeContext<OpportunityLost> context) => bridge.ForwardAsync(context);
}

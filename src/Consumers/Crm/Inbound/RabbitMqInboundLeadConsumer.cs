using BacBos.Consumers.Crm.Domain;
using BacBos.Contracts.Crm;
using BacBos.Platform.Messaging;
using MassTransit;

namespace BacBos.Consumers.Crm.Inbound;

/// <summary>
/// Plain-JSON leads published to the inbound RabbitMQ exchange by systems that do not use MassTransit. The message
/// becomes a <see cref="SubmitInboundLead"/> (channel <c>rabbitmq</c>) handled by the same <see cref="LeadIntake"/>.
/// </summary>
public sealed class RabbitMqInboundLeadConsumer(LeadIntake intake, TimeProvider time) : IConsumer<InboundLeadMessage>
{
    public const string Channel = "rabbitmq";

    public Task Consume(ConsumeContext<InboundLeadMessage> context)
    {
        var m = context.Message;
        var errors = new FieldErrors();
        var tenantId = Guid.Empty;
        if (!string.IsNullOrWhiteSpace(m.TenantId) && !Guid.TryParse(m.TenantId.Trim(), out tenantId))
        {
            errors.Add("tenant_id", $"'{m.TenantId}' is not a UUID.");
        }

        return intake.SubmitAsync(
            new SubmitInboundLead(tenantId, m.ClientLeadId!, Channel, m.Name, m.Email, m.Phone, m.Company, m.Source, m.Priority, m.Notes, time.GetUtcNow()),
            errors,
            context.CancellationToken);
    }
}

/// <summary>The inbound endpoint: raw JSON only, bound to the configured exchange, no topology for the message type.</summary>
public sealed class RabbitMqInboundLeadConsumerDefinition(CrmOptions options) : ConsumerDefinition<RabbitMqInboundLeadConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RabbitMqInboundLeadConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UsePlainJsonFromExchange(options.InboundRabbitMq.Exchange, options.InboundRabbitMq.ExchangeType);
}

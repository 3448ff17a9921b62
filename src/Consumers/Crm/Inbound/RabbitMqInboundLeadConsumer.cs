using BacBos.Consumers.Crm.Domain;
using BacBos.Contracts.Crm;
using BacBos.Platform.Messaging;
using MassTransit;

namespace BacBos.Consumers.Crm.Inbound;

/// <summary>
/// Plain-JSON leads published to the inbound RabbitMQ exchange by systems that do not use MassTransit. The message
/// becomes a <see cref="SubmitInboundLead"/> (channel <c>rabbitmq</c>) handled by the same <see cref="LeadIntake"/>;
/// problems with the wire format itself (a member that is not a string, a tenant id that is not a UUID) are reported
/// together with the lead's own.
/// </summary>
public sealed class RabbitMqInboundLeadConsumer(LeadIntake intake, TimeProvider time) : IConsumer<InboundLeadMessage>
{
    public const string Channel = "rabbitmq";

    public Task Consume(ConsumeContext<InboundLeadMessage> context)
    {
        var m = context.Message;
        var errors = new FieldErrors();
        var tenant = InboundLeadMessage.Text(errors, "tenant_id", m.TenantId);
        var tenantId = Guid.Empty;
        if (!string.IsNullOrWhiteSpace(tenant) && !Guid.TryParse(tenant.Trim(), out tenantId))
        {
            errors.Add("tenant_id", $"'{tenant}' is not a UUID.");
        }

        var lead = new SubmitInboundLead(
            tenantId,
            InboundLeadMessage.Text(errors, "client_lead_id", m.ClientLeadId)!,
            Channel,
            InboundLeadMessage.Text(errors, "name", m.Name),
            InboundLeadMessage.Text(errors, "email", m.Email),
            InboundLeadMessage.Text(errors, "phone", m.Phone),
            InboundLeadMessage.Text(errors, "company", m.Company),
            InboundLeadMessage.Text(errors, "source", m.Source),
            InboundLeadMessage.Text(errors, "priority", m.Priority),
            InboundLeadMessage.Text(errors, "notes", m.Notes),
            time.GetUtcNow());
        return intake.SubmitAsync(lead, errors, context.CancellationToken);
    }
}

/// <summary>The inbound endpoint: raw JSON only, bound to the configured exchange, no topology for the message type.</summary>
public sealed class RabbitMqInboundLeadConsumerDefinition(CrmOptions options) : ConsumerDefinition<RabbitMqInboundLeadConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RabbitMqInboundLeadConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UsePlainJsonFromExchange(options.InboundRabbitMq.Exchange, options.InboundRabbitMq.ExchangeType);
}

using BacBos.Consumers.Crm.Contacts;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Finance;
using BacBos.Consumers.Crm.Inbound;
using BacBos.Consumers.Crm.Leads;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;
using BacBos.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Consumers.Crm;

/// <summary>Composition of the CRM: its services (every process with the REST API or the consumers) and its consumers.</summary>
public static class CrmRegistration
{
    /// <summary>Storage, lifecycles, FX table and the services the REST endpoints and consumers call.</summary>
    public static IServiceCollection AddCrmServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration.GetSection(CrmOptions.Section).Get<CrmOptions>() ?? new CrmOptions());
        services.TryAddSingleton(new FxTable(configuration.GetSection(FxOptions.Section).Get<FxOptions>() ?? new FxOptions()));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CrmStorage>();
        services.TryAddSingleton<LeadService>();
        services.TryAddSingleton<ContactService>();
        services.TryAddSingleton<OpportunityService>();
        services.TryAddSingleton<InvoiceDraftService>();
        services.TryAddSingleton<LeadIntake>();
        return services;
    }

    /// <summary>
    /// The CRM consumers, each on its own endpoint: <c>{prefix}-crm-lead-intake</c> (<c>SubmitInboundLead</c>),
    /// <c>{prefix}-crm-invoice-drafts</c> (<c>RequestInvoiceDraft</c>) and, on RabbitMQ, the plain-JSON inbound queue
    /// bound to <c>Crm:InboundRabbitMq:Exchange</c>. They commit their own writes and events (no SQL inbox: see
    /// <see cref="SelfTransactionalEndpoint"/>) and are idempotent by natural key.
    /// </summary>
    public static void AddCrmConsumers(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        var busOptions = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var crm = configuration.GetSection(CrmOptions.Section).Get<CrmOptions>() ?? new CrmOptions();
        var prefix = busOptions.EndpointPrefix;

        var intake = SelfTransactional(bus, $"{prefix}-crm-lead-intake");
        var drafts = SelfTransactional(bus, $"{prefix}-crm-invoice-drafts");
        bus.AddConsumer<SubmitInboundLeadConsumer>().Endpoint(e => e.Name = intake);
        bus.AddConsumer<RequestInvoiceDraftConsumer>().Endpoint(e => e.Name = drafts);
        if (busOptions.Transport == BusTransport.RabbitMq && crm.InboundRabbitMq.Enabled)
        {
            var inbound = SelfTransactional(bus, string.IsNullOrWhiteSpace(crm.InboundRabbitMq.Queue) ? $"{prefix}-crm-inbound-leads" : crm.InboundRabbitMq.Queue);
            bus.AddConsumer<RabbitMqInboundLeadConsumer, RabbitMqInboundLeadConsumerDefinition>().Endpoint(e => e.Name = inbound);
        }
    }

    /// <summary>Registers the endpoint as self-transactional (now, while services can still be added) and returns its name.</summary>
    private static string SelfTransactional(IServiceCollection services, string endpoint)
    {
        services.AddSingleton(new SelfTransactionalEndpoint(endpoint));
        return endpoint;
    }
}

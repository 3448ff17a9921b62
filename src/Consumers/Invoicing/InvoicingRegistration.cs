using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing;
using BacBos.Consumers.Invoicing.Consumers;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Consumers;

/// <summary>Composition of invoicing: its services (REST API and consumers) and its consumers.</summary>
public static class InvoicingRegistration
{
    /// <summary>
    /// Storage (the tenant's tables through the CRM's storage sessions), object storage (S3 when <c>Drivers:S3:Endpoint</c>
    /// is set, otherwise a local folder under the data directory), SMTP (<c>Invoicing:Smtp</c>) and the delivery service.
    /// </summary>
    public static IServiceCollection AddInvoicingServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration.GetSection(InvoicingOptions.Section).Get<InvoicingOptions>() ?? new InvoicingOptions());
        services.TryAddSingleton(configuration.GetSection(PublicUrlOptions.Section).Get<PublicUrlOptions>() ?? new PublicUrlOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CrmStorage>();
        services.TryAddSingleton<InvoiceLinks>();
        services.TryAddSingleton<InvoiceStore>();
        services.TryAddSingleton<InvoiceMailer>();
        services.TryAddSingleton<InvoiceDelivery>();
        services.TryAddSingleton<InvoiceDeliverySweeper>();
        var s3 = configuration.GetSection(S3Options.Section).Get<S3Options>();
        if (!string.IsNullOrWhiteSpace(s3?.Endpoint))
        {
            services.TryAddSingleton<IInvoiceObjectStore>(_ => new S3InvoiceObjectStore(s3));
        }
        else
        {
            services.TryAddSingleton<IInvoiceObjectStore, LocalFolderInvoiceObjectStore>();
        }

        return services;
    }

    /// <summary>
    /// The invoicing consumers on <c>{prefix}-invoicing</c> (<c>PaymentCompleted</c>, <c>PaymentRefunded</c>, <c>IssueInvoice</c>,
    /// <c>PaymentRefundReversed</c>, <c>DeliverInvoice</c>): self-transactional, idempotent by payment, refund and invoice
    /// id. The recording consumers only record (and queue <c>DeliverInvoice</c> through the bus outbox); delivery is
    /// <c>DeliverInvoice</c>'s consume on the same endpoint, with the endpoint's retry and redelivery policy, in every
    /// hosting mode (worker on RabbitMQ, embedded in the gateway on the in-memory bus). And, where they run, the sweeper
    /// that re-queues documents whose delivery gave up (<c>Invoicing:SweepInterval</c>).
    /// </summary>
    public static void AddInvoicingConsumers(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        var prefix = (configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions()).EndpointPrefix;
        var endpoint = $"{prefix}-invoicing";
        bus.AddSingleton(new SelfTransactionalEndpoint(endpoint));
        bus.AddConsumer<PaymentCompletedConsumer>().Endpoint(e => e.Name = endpoint);
        bus.AddConsumer<PaymentRefundedConsumer>().Endpoint(e => e.Name = endpoint);
        bus.AddConsumer<PaymentRefundReversedConsumer>().Endpoint(e => e.Name = endpoint);
        bus.AddConsumer<IssueInvoiceConsumer>().Endpoint(e => e.Name = endpoint);
        bus.AddConsumer<DeliverInvoiceConsumer>().Endpoint(e => e.Name = endpoint);
        bus.AddHostedService(provider => provider.GetRequiredService<InvoiceDeliverySweeper>());
    }
}

using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Payments.Consumers;
using BacBos.Consumers.Payments.Domain;
using BacBos.Consumers.Payments.Fx;
using BacBos.Consumers.Payments.Gateways;
using BacBos.Consumers.Payments.Kafka;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Consumers.Payments;

/// <summary>Composition of payments: the services the REST endpoints, webhooks and consumers call, and the consumers.</summary>
public static class PaymentsRegistration
{
    /// <summary>
    /// Storage (the CRM's tenant sessions), gateway selection, FX (HTTP provider when <c>Payments:Fx:BaseUrl</c> is set,
    /// else the configured table <c>Crm:FxRates</c>), the Stripe and Paystack drivers (keys from <c>Drivers:Stripe</c>,
    /// <c>Drivers:Paystack</c> or the tenant's sealed keys; without any, payments fail "not configured") and the webhook receiver.
    /// </summary>
    public static IServiceCollection AddPaymentServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCrmServices(configuration);
        var options = Bind<PaymentsOptions>(configuration, PaymentsOptions.Section);
        services.TryAddSingleton(options);
        services.TryAddSingleton(new GatewaySelector(options.Stripe, options.Paystack));

        var fx = Bind<FxProviderOptions>(configuration, FxProviderOptions.Section);
        if (string.IsNullOrWhiteSpace(fx.BaseUrl))
        {
            services.TryAddSingleton<IFxRateSource, TableFxRateSource>();
        }
        else
        {
            services.AddHttpClient(HttpFxRateSource.HttpClientName, c => c.Timeout = IntegrationsRegistration.ProviderTimeout);
            services.TryAddSingleton(fx);
            services.TryAddSingleton<IFxRateSource, HttpFxRateSource>();
        }

        var stripe = Bind<StripeOptions>(configuration, StripeOptions.Section);
        stripe.Enabled = configuration.GetSection(StripeOptions.Section).Exists();
        var paystack = Bind<PaystackOptions>(configuration, PaystackOptions.Section);
        paystack.Enabled = configuration.GetSection(PaystackOptions.Section).Exists();
        services.TryAddSingleton<TenantCredentials>();
        services.TryAddSingleton(Bind<PublicUrlOptions>(configuration, PublicUrlOptions.Section));
        services.TryAddSingleton<TenantWebhookUrls>();
        services.TryAddSingleton(sp => new PaymentGatewayKeys(stripe, paystack, sp.GetRequiredService<TenantCredentials>()));
        services.AddHttpClient(StripePaymentGateway.HttpClientName, c => c.Timeout = IntegrationsRegistration.ProviderTimeout);
        services.AddHttpClient(PaystackPaymentGateway.HttpClientName, c => c.Timeout = IntegrationsRegistration.ProviderTimeout);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentGatewayDriver, StripePaymentGateway>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentGatewayDriver, PaystackPaymentGateway>());
        services.TryAddSingleton<PaymentGatewayDrivers>();
        services.TryAddSingleton<PaymentService>();
        services.TryAddSingleton<PaymentWebhookReceiver>();
        return services;
    }

    /// <summary>
    /// The payment consumers: <c>{prefix}-payment-gateway</c> (create intent, verify), <c>{prefix}-payment-refunds</c>
    /// and <c>{prefix}-payment-outcomes</c> (the row the API reads); with <c>Crm:Kafka:BootstrapServers</c> also
    /// <c>{prefix}-payment-kafka</c> (<c>nexus.finance.payments.completed</c>, <c>.disputed</c>, <c>.dispute_closed</c>). Each commits its writes and messages in one tenant
    /// transaction of its own (no SQL inbox, see <see cref="SelfTransactionalEndpoint"/>) and is idempotent by the
    /// payment or refund id.
    /// </summary>
    public static void AddPaymentConsumers(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        var prefix = (configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions()).EndpointPrefix;
        var gateway = SelfTransactional(bus, $"{prefix}-payment-gateway");
        var refunds = SelfTransactional(bus, $"{prefix}-payment-refunds");
        var outcomes = SelfTransactional(bus, $"{prefix}-payment-outcomes");
        bus.AddConsumer<CreatePaymentIntentConsumer>().Endpoint(e => e.Name = gateway);
        bus.AddConsumer<VerifyPaymentConsumer>().Endpoint(e => e.Name = gateway);
        bus.AddConsumer<RefundPaymentConsumer>().Endpoint(e => e.Name = refunds);
        bus.AddConsumer<ReverseRefundConsumer>().Endpoint(e => e.Name = refunds);
        bus.AddConsumer<PaymentOutcomeProjection>().Endpoint(e => e.Name = outcomes);
        bus.AddConsumer<RecordPaymentDisputeConsumer>().Endpoint(e => e.Name = outcomes);
        if (CrmKafkaOptions.From(configuration).IsBridgeEnabled)
        {
            // The CRM's Kafka producer (Crm:Kafka); this endpoint keeps the SQL inbox, so a redelivered event is produced once per message id.
            bus.AddConsumer<PaymentCompletedKafkaConsumer>().Endpoint(e => e.Name = $"{prefix}-payment-kafka");
            bus.AddConsumer<PaymentDisputeKafkaConsumer>().Endpoint(e => e.Name = $"{prefix}-payment-kafka");
        }
    }

    private static string SelfTransactional(IServiceCollection services, string endpoint)
    {
        services.AddSingleton(new SelfTransactionalEndpoint(endpoint));
        return endpoint;
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new() => configuration.GetSection(section).Get<T>() ?? new T();
}

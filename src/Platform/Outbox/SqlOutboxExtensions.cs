using MassTransit;
using MassTransit.Configuration;
using MassTransit.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Platform.Outbox;

/// <summary>Registration of the SQL inbox/outbox.</summary>
public static class SqlOutboxExtensions
{
    /// <summary>The consumer inbox/outbox, the bus outbox with its delivery service, and the inbox cleanup job.</summary>
    public static IServiceCollection AddSqlOutbox(this IServiceCollection services, OutboxOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<IOutboxContextFactory<SqlOutbox>, SqlOutboxContextFactory>();
        services.TryAddSingleton<BusOutbox>();
        services.AddHostedService<BusOutboxDeliveryService>();
        services.AddHostedService<InboxCleanupService>();
        return services;
    }

    /// <summary>
    /// Puts every consumer and saga of the endpoint behind the SQL inbox/outbox; each outgoing message's send is
    /// abandoned after <paramref name="deliveryTimeout"/> (the consume fails and is retried; the inbox keeps it once).
    /// </summary>
    public static void UseSqlOutbox(this IReceiveEndpointConfigurator configurator, IRegistrationContext context, TimeSpan deliveryTimeout)
    {
        var observer = new OutboxConsumePipeSpecificationObserver<SqlOutbox>(configurator, context) { MessageDeliveryTimeout = deliveryTimeout };
        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }
}

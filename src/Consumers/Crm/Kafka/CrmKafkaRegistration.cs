using BacBos.Consumers.Crm.Kafka.Bridge;
using BacBos.Consumers.Crm.Kafka.Inbound;
using BacBos.Contracts.Crm;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Kafka;

/// <summary>
/// Composition of the CRM's Kafka side. Both calls do nothing unless <c>Crm:Kafka:BootstrapServers</c> is set, so the
/// embedded default and any deployment without Kafka keep CRM events on the bus only:
/// <code>
/// services.AddCrmKafka(configuration);                    // producer, bridge, inbound consumer (with InboundTopic)
/// services.AddBacBosBus(configuration, bus => bus.AddCrmKafkaBridge(configuration));
/// </code>
/// </summary>
public static class CrmKafkaRegistration
{
    /// <summary>
    /// The producer and the bridge's services; with <c>Crm:Kafka:InboundTopic</c> also the inbound lead consumer (a
    /// hosted service). Invalid settings fail here, at start-up.
    /// </summary>
    public static IServiceCollection AddCrmKafka(this IServiceCollection services, IConfiguration configuration)
    {
        var options = CrmKafkaOptions.From(configuration);
        if (!options.IsBridgeEnabled)
        {
            return services;
        }

        services.AddSingleton(options);
        services.AddSingleton(new CrmEventRoutes(options.Topics));
        services.AddSingleton<CrmKafkaProducer>();
        services.AddSingleton<CrmKafkaBridge>();
        if (options.IsInboundEnabled)
        {
            services.AddSingleton<BusStartedSignal>();
            services.AddBusObserver(provider => provider.GetRequiredService<BusStartedSignal>());
            services.AddHostedService<KafkaInboundLeadService>();
        }

        return services;
    }

    /// <summary>
    /// <see cref="CrmKafkaBridgeConsumer"/> on one endpoint for all seven bridged event types, with
    /// <c>Crm:Kafka:Bridge:ConcurrentMessageLimit</c> and, on each message type, the
    /// <see cref="OutOfOrderRedeliveryFilter{T}"/> outside the endpoint's SQL inbox/outbox.
    /// </summary>
    public static void AddCrmKafkaBridge(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        var options = CrmKafkaOptions.From(configuration);
        if (!options.IsBridgeEnabled)
        {
            return;
        }

        bus.AddConsumer<CrmKafkaBridgeConsumer>((context, consumer) =>
            {
                var logger = context.GetRequiredService<ILoggerFactory>().CreateLogger<CrmKafkaBridgeConsumer>();
                var waits = options.Bridge.OutOfOrderRedeliveryMs;
                WaitForPredecessors<LeadCreated>(consumer, waits, logger);
                WaitForPredecessors<LeadStatusChanged>(consumer, waits, logger);
                WaitForPredecessors<LeadConverted>(consumer, waits, logger);
                WaitForPredecessors<OpportunityCreated>(consumer, waits, logger);
                WaitForPredecessors<OpportunityStageChanged>(consumer, waits, logger);
                WaitForPredecessors<OpportunityWon>(consumer, waits, logger);
                WaitForPredecessors<OpportunityLost>(consumer, waits, logger);
            })
            .Endpoint(e => e.ConcurrentMessageLimit = options.Bridge.ConcurrentMessageLimit);
    }

    private static void WaitForPredecessors<T>(IConsumerConfigurator<CrmKafkaBridgeConsumer> consumer, int[] waits, ILogger logger)
        where T : class, ICrmEvent =>
        consumer.Message<T>(m => m.UseFilter(new OutOfOrderRedeliveryFilter<T>(waits, logger)));
}

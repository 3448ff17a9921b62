using BacBos.Platform.Outbox;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Platform.Messaging;

/// <summary>One place that chooses the transport and applies the endpoint policies every process shares.</summary>
public static class BusRegistration
{
    /// <summary>
    /// Registers MassTransit with the configured transport. <paramref name="modules"/> adds sagas and consumers
    /// (the gateway alone adds none; the worker and the embedded default add all of them).
    /// </summary>
    public static IServiceCollection AddBacBosBus(this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator> modules)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        services.AddSingleton(options);
        services.AddSqlOutbox(configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions());
        services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix, false));
            x.AddConfigureEndpointsCallback((context, _, cfg) => ApplyEndpointPolicy(cfg, options, context));
            modules(x);

            if (options.Transport == BusTransport.RabbitMq)
            {
                var uri = configuration.GetConnectionString("RabbitMq")
                    ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is required when Bus:Transport is RabbitMq.");
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(uri));
                    cfg.PrefetchCount = options.PrefetchCount;
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return services;
    }

    /// <summary>
    /// Every endpoint: retry infrastructure faults (database blips, optimistic-concurrency conflicts) before faulting
    /// to <c>_error</c>; inside the retry, the SQL inbox/outbox: a message is consumed once per consumer, and the
    /// consumer's (or saga's) writes and its outgoing messages commit in one transaction and are delivered after it.
    /// </summary>
    public static void ApplyEndpointPolicy(IReceiveEndpointConfigurator cfg, BusOptions options, IRegistrationContext context)
    {
        if (options.QuorumQueues && cfg is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }

        if (options.Testing.DuplicateEveryMessage)
        {
            cfg.UseFilter(new DuplicateDeliveryFilter());
        }

        cfg.UseMessageRetry(r => r.Intervals(options.RetryIntervalsMs));
        cfg.UseSqlOutbox(context);
    }
}

using BacBos.Platform.Outbox;
using BacBos.Platform.Scheduling;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        // The configuration binder appends configured array items to the defaults; configured intervals replace them.
        foreach (var (key, set) in new (string, Action<int[]>)[]
                 {
                     ("RetryIntervalsMs", v => options.RetryIntervalsMs = v),
                     ("RedeliveryIntervalsMs", v => options.RedeliveryIntervalsMs = v),
                 })
        {
            var section = configuration.GetSection($"{BusOptions.Section}:{key}");
            if (section.Exists())
            {
                set(section.Get<int[]>() ?? []);
            }
        }

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHealthChecks().AddCheck<BusLivenessCheck>("bus-liveness", tags: ["live"]);
        services.AddSqlOutbox(configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions());
        var scheduler = SchedulerOptions.From(configuration);

        // Endpoints are bound before the host reports started, so nothing is sent to an unbound scheduler queue.
        // A consume that never finishes must not keep its endpoint from reconnecting (see BusOptions.StopTimeout).
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.ConsumerStopTimeout = options.ConsumerStopTimeout;
            o.StopTimeout = options.StopTimeout;
        });
        services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix, false));

            // The scheduler's consumer is idempotent by trigger key and sends nothing: no inbox/outbox there (an inbox
            // would drop a second ScheduleMessage carrying the same message id). Self-transactional endpoints commit
            // their own writes and messages (see SelfTransactionalEndpoint).
            x.AddConfigureEndpointsCallback((context, name, cfg) => ApplyEndpointPolicy(
                cfg,
                options,
                context,
                withOutbox: name != scheduler.QueueName && !context.GetServices<SelfTransactionalEndpoint>().Any(e => e.Name == name)));
            x.AddBacBosSchedulerEndpoint(scheduler);
            modules(x);

            if (options.Transport == BusTransport.RabbitMq)
            {
                var uri = configuration.GetConnectionString("RabbitMq")
                    ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is required when Bus:Transport is RabbitMq.");
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(uri));
                    cfg.PrefetchCount = options.PrefetchCount;
                    cfg.UseBacBosScheduler(scheduler);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseBacBosScheduler(scheduler);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }

    /// <summary>
    /// Every endpoint: a few immediate retries for short faults (database blips, optimistic-concurrency conflicts),
    /// then scheduled redelivery through the Quartz scheduler at growing intervals, then the <c>_error</c> queue with
    /// the exception. Inside the retry, the SQL inbox/outbox: a message is consumed once per consumer, and the
    /// consumer's (or saga's) writes and its outgoing messages commit in one transaction and are delivered after it.
    /// </summary>
    public static void ApplyEndpointPolicy(IReceiveEndpointConfigurator cfg, BusOptions options, IRegistrationContext context, bool withOutbox = true)
    {
        if (options.QuorumQueues && cfg is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }

        if (options.Testing.DuplicateEveryMessage)
        {
            cfg.UseFilter(new DuplicateDeliveryFilter());
        }

        // A rejected message stays as bad on every attempt: straight to _error, with the reason.
        if (options.RedeliveryIntervalsMs.Length > 0)
        {
            cfg.UseScheduledRedelivery(r => r.Intervals(options.RedeliveryIntervalsMs).IgnorePermanent());
        }

        if (options.RetryIntervalsMs.Length > 0)
        {
            cfg.UseMessageRetry(r => r.Intervals(options.RetryIntervalsMs).IgnorePermanent());
        }

        if (withOutbox)
        {
            cfg.UseSqlOutbox(context, options.SendTimeout);
        }
    }

    private static IRetryConfigurator IgnorePermanent(this IRetryConfigurator retry)
    {
        retry.Ignore<RejectedMessageException>();
        return retry;
    }
}

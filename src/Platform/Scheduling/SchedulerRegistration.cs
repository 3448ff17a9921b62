using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Quartz;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// Composition of the Quartz-backed message scheduler (MassTransit.Quartz is not obtainable; this is our own on
/// MassTransit's scheduling contracts). Three calls, all driven by one <see cref="SchedulerOptions"/>:
/// <code>
/// // services (where DatabaseOptions are known, e.g. AddBacBosPlatform):
/// services.AddBacBosScheduler(configuration, database);
///
/// // AddBacBosBus:
/// var scheduler = SchedulerOptions.From(configuration);
/// services.AddMassTransit(x =>
/// {
///     x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix, false));
///     x.AddConfigureEndpointsCallback(...);
///     x.AddBacBosSchedulerEndpoint(scheduler);          // consumer on queue "bacbos-scheduler" + IMessageScheduler
///     modules(x);
///     x.UsingRabbitMq((context, cfg) =>                 // or UsingInMemory
///     {
///         cfg.Host(...);
///         cfg.UseBacBosScheduler(scheduler);             // ScheduleSend / saga Schedule / UseScheduledRedelivery
///         cfg.ConfigureEndpoints(context);
///     });
/// });
/// </code>
/// With <see cref="SchedulerOptions.Enabled"/> false (e.g. the gateway beside a worker) the process schedules through
/// the queue but hosts neither Quartz nor the queue's consumer.
/// </summary>
public static class SchedulerRegistration
{
    /// <summary>
    /// Quartz (unnamed <c>AddQuartz</c>) on the platform database — AdoJobStore on PostgreSQL (clustered unless
    /// <c>Scheduler:Clustered</c> is false) or SQLite (provider <c>SQLite-Microsoft</c>) — with the schema from migration
    /// <c>0003_quartz.sql</c> (validated at start, never created at run time), plus <see cref="SchedulerOptions"/>,
    /// <see cref="ScheduledMessageJob"/> and the <see cref="SchedulerBusObserver"/> that starts and stops Quartz with the
    /// bus. Nothing is registered when <c>Scheduler:Enabled</c> is false. The migrations must have run before the bus
    /// starts (AddBacBosPlatform's migration service does that when registered before the bus).
    /// </summary>
    public static IServiceCollection AddBacBosScheduler(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        var options = SchedulerOptions.From(configuration);
        if (!options.Enabled)
        {
            return services;
        }

        var clustered = options.IsClusteredOn(database);
        services.AddSingleton(options);
        services.AddSingleton<ScheduledMessageJobRegistration>();
        services.AddTransient<ScheduledMessageJob>();
        services.AddBusObserver<SchedulerBusObserver>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = options.InstanceName;
                if (options.IdleWaitTime is { } idle)
                {
                    s.IdleWaitTime = idle;
                }
            });
            q.UseDefaultThreadPool(options.MaxConcurrency);
            q.UsePersistentStore(store =>
            {
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    var connectionString = database.ConnectionString
                        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required when Database:Provider is Postgres.");
                    store.UsePostgres(NpgsqlFactory.Instance, connectionString);
                }
                else
                {
                    store.UseSqlite(SqliteFactory.Instance, SqliteConnectionString(database));
                }

                store.ConfigureStore(s =>
                {
                    s.TablePrefix = TablePrefix;
                    s.MisfireThreshold = options.MisfireThreshold;
                    s.SchemaProvisioning = SchemaProvisioning.Validate;
                });

                if (clustered)
                {
                    store.UseClustering(c =>
                    {
                        if (options.ClusterCheckinInterval is { } interval)
                        {
                            c.CheckinInterval = interval;
                        }

                        if (options.ClusterCheckinMisfireThreshold is { } threshold)
                        {
                            c.CheckinMisfireThreshold = threshold;
                        }
                    });
                }
            });
        });
        return services;
    }

    /// <summary>
    /// Every process: <c>IMessageScheduler</c> sending to <see cref="SchedulerOptions.Address"/> (<c>exchange:{QueueName}</c>,
    /// see there why not <c>queue:</c>). When the scheduler is enabled here,
    /// also <see cref="ScheduleMessageConsumer"/> on a receive endpoint named exactly <see cref="SchedulerOptions.QueueName"/>
    /// (not through the endpoint name formatter), commands for one scheduling token handled in order (partitioned).
    /// <c>ConfigureEndpoints</c> applies the shared endpoint policy (quorum queue, retry, outbox) to it like to any other.
    /// </summary>
    public static void AddBacBosSchedulerEndpoint(this IBusRegistrationConfigurator bus, SchedulerOptions options)
    {
        options.Validate();
        bus.AddMessageScheduler(options.Address);
        if (!options.Enabled)
        {
            return;
        }

        bus.AddConsumer<ScheduleMessageConsumer>((_, consumer) =>
            {
                var partitioner = consumer.CreatePartitioner(options.ConcurrentMessageLimit);
                consumer.Message<ScheduleMessage>(m => m.UsePartitioner(partitioner, c => c.Message.CorrelationId));
                consumer.Message<CancelScheduledMessage>(m => m.UsePartitioner(partitioner, c => c.Message.TokenId));
                consumer.Message<ScheduleRecurringMessage>(m => m.UsePartitioner(
                    partitioner, c => RecurringPartitionKey(c.Message.Schedule.ScheduleGroup, c.Message.Schedule.ScheduleId), System.Text.Encoding.UTF8));
                consumer.Message<CancelScheduledRecurringMessage>(m => m.UsePartitioner(
                    partitioner, c => RecurringPartitionKey(c.Message.ScheduleGroup, c.Message.ScheduleId), System.Text.Encoding.UTF8));
            })
            .Endpoint(e =>
            {
                e.Name = options.QueueName;
                e.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
            });
    }

    /// <summary>
    /// The bus's consume pipes get a message scheduler that sends <c>ScheduleMessage</c>/<c>CancelScheduledMessage</c> to
    /// <see cref="SchedulerOptions.Address"/>: <c>context.ScheduleSend</c>, saga <c>Schedule</c>/<c>Unschedule</c> and
    /// <c>UseScheduledRedelivery</c> use it, each send bounded by <see cref="SchedulerOptions.SendTimeout"/> (see
    /// <see cref="BoundedMessageSchedulerFilter"/>). Call inside <c>UsingRabbitMq</c>/<c>UsingInMemory</c>, before
    /// <c>ConfigureEndpoints</c>.
    /// </summary>
    public static void UseBacBosScheduler(this IBusFactoryConfigurator cfg, SchedulerOptions options) =>
        cfg.AddPrePipeSpecification(new BoundedMessageSchedulerSpecification(options.Address, options.SendTimeout));

    /// <summary>Quartz's table prefix; the tables are created by migration <c>0003_quartz.sql</c>.</summary>
    public const string TablePrefix = "QRTZ_";

    /// <summary>The same SQLite file and settings <see cref="Database"/> uses.</summary>
    private static string SqliteConnectionString(DatabaseOptions database) =>
        new SqliteConnectionStringBuilder(database.ConnectionString ?? $"Data Source={Path.Combine(database.DataDirectory, "bacbos.db")}")
        {
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

    private static string RecurringPartitionKey(string? group, string id) => $"{group}/{id}";
}

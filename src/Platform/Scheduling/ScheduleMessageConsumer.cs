using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// The scheduler queue's consumer. A <see cref="ScheduleMessage"/> becomes one Quartz trigger of the durable
/// <see cref="ScheduledMessageJob"/>, keyed by the scheduling token (<c>TokenId:N</c>) and carrying the message in its job
/// data; scheduling the same token again (a redelivered command) replaces that trigger, so a redelivery never schedules
/// twice. <see cref="CancelScheduledMessage"/> removes the trigger. Recurring schedules are cron triggers keyed
/// <c>Recurring.Trigger.{ScheduleId}</c> in the schedule's group.
/// </summary>
public sealed class ScheduleMessageConsumer(
    ISchedulerFactory schedulerFactory,
    ScheduledMessageJobRegistration job,
    SchedulerOptions options,
    ILogger<ScheduleMessageConsumer> logger) :
    IConsumer<ScheduleMessage>,
    IConsumer<CancelScheduledMessage>,
    IConsumer<ScheduleRecurringMessage>,
    IConsumer<CancelScheduledRecurringMessage>
{
    public const string RecurringTriggerPrefix = "Recurring.Trigger.";

    /// <summary>The trigger of a one-off scheduled message.</summary>
    public static TriggerKey TriggerKeyFor(Guid tokenId) => new(tokenId.ToString("N"));

    /// <summary>The trigger of a recurring schedule.</summary>
    public static TriggerKey RecurringTriggerKeyFor(string scheduleId, string? scheduleGroup) =>
        string.IsNullOrWhiteSpace(scheduleGroup)
            ? new TriggerKey(RecurringTriggerPrefix + scheduleId)
            : new TriggerKey(RecurringTriggerPrefix + scheduleId, scheduleGroup);

    public async Task Consume(ConsumeContext<ScheduleMessage> context)
    {
        var message = context.Message;
        var scheduler = await job.EnsureAsync(schedulerFactory, context.CancellationToken);
        var dueAt = new DateTimeOffset(ScheduledMessageData.ToUtc(message.ScheduledTime));

        var trigger = TriggerBuilder.Create(scheduler.TimeProvider)
            .ForJob(ScheduledMessageJob.Key)
            .WithIdentity(TriggerKeyFor(message.CorrelationId))
            .StartAt(dueAt)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .WithRetryPolicy(RetryPolicyFor(options))
            .UsingJobData(ScheduledMessageData.Capture(context, message.Payload, message.PayloadType, message.Destination, message.CorrelationId, recurring: false))
            .Build();

        var result = await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, context.CancellationToken);
        logger.LogDebug(
            "Scheduled message {MessageId} ({MessageType}) to {DestinationAddress} at {ScheduledTime:O}, trigger {TriggerKey}: {Outcome}",
            context.MessageId, string.Join(';', message.PayloadType), message.Destination, dueAt, trigger.Key, result.Outcome);
    }

    public async Task Consume(ConsumeContext<CancelScheduledMessage> context)
    {
        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        var key = TriggerKeyFor(context.Message.TokenId);
        var removed = await scheduler.UnscheduleJob(key, context.CancellationToken);
        logger.LogDebug("Cancelled scheduled message, trigger {TriggerKey}: {Result}", key, removed ? "removed" : "not found (already sent or never scheduled)");
    }

    public async Task Consume(ConsumeContext<ScheduleRecurringMessage> context)
    {
        var message = context.Message;
        var schedule = message.Schedule;
        var scheduler = await job.EnsureAsync(schedulerFactory, context.CancellationToken);

        var cron = CronScheduleBuilder.Create(schedule.CronExpression).InTimeZone(TimeZoneFor(schedule.TimeZoneId));
        cron = schedule.MisfirePolicy switch
        {
            MissedEventPolicy.Skip => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing),
            MissedEventPolicy.Send => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed),
            _ => cron,
        };

        var builder = TriggerBuilder.Create(scheduler.TimeProvider)
            .ForJob(ScheduledMessageJob.Key)
            .WithIdentity(RecurringTriggerKeyFor(schedule.ScheduleId, schedule.ScheduleGroup))
            .StartAt(schedule.StartTime)
            .EndAt(schedule.EndTime)
            .WithSchedule(cron)
            .WithRetryPolicy(RetryPolicyFor(options))
            .UsingJobData(ScheduledMessageData.Capture(context, message.Payload, message.PayloadType, message.Destination, message.CorrelationId, recurring: true));
        if (!string.IsNullOrWhiteSpace(schedule.Description))
        {
            builder = builder.WithDescription(schedule.Description);
        }

        var trigger = builder.Build();
        var result = await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, context.CancellationToken);
        logger.LogDebug(
            "Scheduled recurring message ({MessageType}) to {DestinationAddress}, cron '{CronExpression}', trigger {TriggerKey}: {Outcome}, next at {NextFireTime:O}",
            string.Join(';', message.PayloadType), message.Destination, schedule.CronExpression, trigger.Key, result.Outcome, result.NextFireTimeUtc);
    }

    public async Task Consume(ConsumeContext<CancelScheduledRecurringMessage> context)
    {
        var scheduler = await schedulerFactory.GetScheduler(context.CancellationToken);
        var key = RecurringTriggerKeyFor(context.Message.ScheduleId, context.Message.ScheduleGroup);
        var removed = await scheduler.UnscheduleJob(key, context.CancellationToken);
        logger.LogDebug("Cancelled recurring schedule, trigger {TriggerKey}: {Result}", key, removed ? "removed" : "not found");
    }

    /// <summary>Persisted retries of a failed send: <see cref="SchedulerOptions.RetryLimit"/> with doubling waits, or none.</summary>
    public static RetryPolicy RetryPolicyFor(SchedulerOptions options) =>
        options.RetryLimit == 0
            ? RetryPolicy.None
            : RetryPolicy.Exponential(options.RetryLimit, options.RetryInitialDelay, 2, options.RetryMaxDelay);

    private static TimeZoneInfo TimeZoneFor(string? id) =>
        string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);
}

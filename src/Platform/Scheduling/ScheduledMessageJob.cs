using BacBos.Platform.Messaging;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// The one durable Quartz job every scheduled message fires: sends the stored message to its destination with its
/// original MessageId, ids, headers and <c>MT-Scheduling-TokenId</c>. A failed send is re-run at once up to
/// <see cref="SchedulerOptions.ImmediateRefireLimit"/> times, then retried later under the trigger's retry policy
/// (<see cref="SchedulerOptions.RetryLimit"/>). Delivery is at least once: a crash after the send and before Quartz
/// records the firing fires it again, with the same MessageId.
/// </summary>
public sealed class ScheduledMessageJob(IBus bus, SchedulerOptions options, ILogger<ScheduledMessageJob> logger) : IJob
{
    public const string Name = "bacbos-scheduled-message";
    public const string Group = "BacBos";

    public static JobKey Key { get; } = new(Name, Group);

    /// <summary>The job's definition: durable (it has no triggers between messages), recovered after a node crash.</summary>
    public static IJobDetail Definition { get; } = JobBuilder.Create<ScheduledMessageJob>()
        .WithIdentity(Key)
        .WithDescription("Sends a message scheduled through the BacBos scheduler queue")
        .StoreDurably(true)
        .RequestRecovery(true)
        .Build();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var message = StoredScheduledMessage.From(context);
        if (message.ExpirationTime is { } expiration && expiration <= DateTime.UtcNow)
        {
            logger.LogWarning(
                "Scheduled message {MessageId} ({MessageType}) to {DestinationAddress} expired at {ExpirationTime:O} before it was due; not sent",
                message.MessageId, message.MessageType, message.DestinationAddress, expiration);
            return;
        }

        try
        {
            var endpoint = await bus.GetSendEndpoint(message.DestinationAddress);
            using var send = BoundedSend.Within(options.SendTimeout, cancellationToken);
            await endpoint.Send(new SerializedMessageBody(), new ScheduledMessageSendPipe(message), send.Token);
            logger.LogDebug(
                "Sent scheduled message {MessageId} ({MessageType}) to {DestinationAddress}, trigger {TriggerKey}, due {ScheduledTime:O}",
                message.MessageId, message.MessageType, message.DestinationAddress, context.Trigger.Key, context.ScheduledFireTimeUtc);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var refire = context.RefireCount < options.ImmediateRefireLimit;
            logger.LogError(
                ex,
                "Sending scheduled message {MessageId} ({MessageType}) to {DestinationAddress} failed (refire {RefireCount}, retry {RetryAttempt}); {Next}",
                message.MessageId, message.MessageType, message.DestinationAddress, context.RefireCount, context.RetryAttempt,
                refire ? "refiring now" : "left to the trigger's retry policy");
            throw new JobExecutionException($"Sending scheduled message {message.MessageId} failed", ex) { RefireImmediately = refire };
        }
    }

    /// <summary>
    /// The core <see cref="OutboxMessageSendPipe"/> (body, serializer, ids, TTL, <c>MT-*</c> headers), then the stored
    /// headers it leaves out (those without the <c>MT-</c> prefix).
    /// </summary>
    private sealed class ScheduledMessageSendPipe(StoredScheduledMessage message) : IPipe<SendContext>
    {
        private readonly OutboxMessageSendPipe _restore = new(message, message.DestinationAddress);

        public async Task Send(SendContext context)
        {
            await _restore.Send(context);
            foreach (var (key, value) in message.Headers.GetAll())
            {
                if (!context.Headers.TryGetHeader(key, out _))
                {
                    context.Headers.Set(key, value);
                }
            }
        }

        public void Probe(ProbeContext context) => _restore.Probe(context);
    }
}

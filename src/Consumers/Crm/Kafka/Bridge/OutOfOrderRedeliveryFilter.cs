using System.Globalization;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>
/// An event that arrived before its predecessor (<see cref="CrmEventOutOfOrderException"/>) is sent back to the bridge
/// queue through the message scheduler after the next of <see cref="CrmKafkaBridgeOptions.OutOfOrderRedeliveryMs"/>, with
/// its message id and headers, and acknowledged. It waits in the scheduler, not in a consumer, so early arrivals
/// cannot fill the endpoint's concurrency while the predecessor queues behind them. The attempt count travels in the
/// <see cref="AttemptHeader"/> header, separate from the endpoint's redelivery count; when the waits are used up the
/// exception goes on to the endpoint's retry and redelivery, then <c>_error</c>.
/// <para>
/// Sits on the consumer's message pipe outside the SQL inbox/outbox (configured before it), so the event's transaction
/// has rolled back when this filter sees the exception and the inbox row is left unconsumed for the copy.
/// </para>
/// </summary>
public sealed class OutOfOrderRedeliveryFilter<T>(IReadOnlyList<int> delaysMs, ILogger logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public const string AttemptHeader = "BacBos-OutOfOrder-Attempt";

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        try
        {
            await next.Send(context);
        }
        catch (CrmEventOutOfOrderException ex) when (Attempt(context) < delaysMs.Count && context.TryGetPayload<MessageSchedulerContext>(out _))
        {
            var attempt = Attempt(context);
            var delay = TimeSpan.FromMilliseconds(delaysMs[attempt]);
            logger.LogInformation(
                "Event {Sequence} of {AggregateId} arrived before its predecessor (last produced {LastSequence}); trying again in {Delay} (wait {Attempt} of {Attempts})",
                ex.Sequence, ex.AggregateId, ex.LastProduced, delay, attempt + 1, delaysMs.Count);
            var scheduler = context.GetPayload<MessageSchedulerContext>();
            await scheduler.ScheduleSend(
                DateTime.UtcNow + delay,
                context.Message,
                new CopyContextPipe(context, (_, send) => send.Headers.Set(AttemptHeader, (attempt + 1).ToString(CultureInfo.InvariantCulture))),
                context.CancellationToken);
            await context.NotifyConsumed(context, context.ReceiveContext.ElapsedTime, "OutOfOrderRedelivery");
        }
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("outOfOrderRedelivery");
        scope.Add("waits", delaysMs.Count);
    }

    /// <summary>How many out-of-order waits this copy of the message has had.</summary>
    public static int Attempt(ConsumeContext context) =>
        context.Headers.Get<string>(AttemptHeader) is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) ? attempt : 0;
}

using BacBos.Platform.Messaging;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Scheduling;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// The consume pipes' message scheduler (what <c>context.ScheduleSend</c>, saga <c>Schedule</c>/<c>Unschedule</c> and
/// <c>UseScheduledRedelivery</c> use): <c>ScheduleMessage</c>/<c>CancelScheduledMessage</c> sent to the scheduler
/// queue, like MassTransit's <c>UseMessageScheduler(address)</c>, except that every send is bounded by
/// <see cref="SchedulerOptions.SendTimeout"/>. Scheduled redelivery sends with no cancellation token at all, so a publish
/// that never gets its broker confirm (see <see cref="BoundedSend"/>) would otherwise hold the message unacknowledged —
/// and its prefetch slot — for good; bounded, the consume fails and the broker redelivers the message.
/// </summary>
public sealed class BoundedMessageSchedulerSpecification(Uri schedulerAddress, TimeSpan timeout) : IPipeSpecification<ConsumeContext>
{
    public void Apply(IPipeBuilder<ConsumeContext> builder) => builder.AddFilter(new BoundedMessageSchedulerFilter(schedulerAddress, timeout));

    public IEnumerable<ValidationResult> Validate()
    {
        if (timeout <= TimeSpan.Zero)
        {
            yield return this.Failure("SendTimeout", "must be positive");
        }
    }
}

/// <summary>Adds the bounded <see cref="MessageSchedulerContext"/> payload to every consume context.</summary>
public sealed class BoundedMessageSchedulerFilter(Uri schedulerAddress, TimeSpan timeout) : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        context.GetOrAddPayload<MessageSchedulerContext>(() => new ConsumeMessageSchedulerContext(context, Scheduler));
        return next.Send(context);
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("scheduler");
        scope.Add("type", "send");
        scope.Add("address", schedulerAddress);
        scope.Add("sendTimeout", timeout);
    }

    private IMessageScheduler Scheduler(ConsumeContext context) =>
        new MessageScheduler(new Provider(() => context.GetSendEndpoint(schedulerAddress), timeout), context.GetPayload<IBusTopology>());

    private sealed class Provider(Func<Task<ISendEndpoint>> endpoint, TimeSpan timeout) : BaseScheduleMessageProvider
    {
        protected override async Task ScheduleSend(ScheduleMessage message, IPipe<SendContext<ScheduleMessage>> pipe, CancellationToken cancellationToken)
        {
            using var send = BoundedSend.Within(timeout, cancellationToken);
            await (await endpoint()).Send(message, pipe, send.Token);
        }

        protected override async Task CancelScheduledSend(Guid tokenId, Uri destinationAddress, CancellationToken cancellationToken)
        {
            using var send = BoundedSend.Within(timeout, cancellationToken);
            await (await endpoint()).Send<CancelScheduledMessage>(new { CorrelationId = NewId.NextGuid(), InVar.Timestamp, TokenId = tokenId }, send.Token);
        }
    }
}

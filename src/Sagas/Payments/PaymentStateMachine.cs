using BacBos.Contracts.Payments;
using MassTransit;

namespace BacBos.Sagas.Payments;

/// <summary>
/// One payment from request to a final outcome. Creating: the gateway consumer creates the intent. Awaiting: the
/// customer completes it (3-D Secure, checkout); a verified webhook reports the outcome, and without one by the
/// deadline the saga has the gateway asked (again after each deadline, up to the configured number of times, then
/// the payment expires). Completed publishes <see cref="PaymentCompleted"/> once; Failed publishes
/// <see cref="PaymentFailed"/>. Events arrive in any order and any number of times: a success may overtake the
/// intent's reply, repeats are ignored, and a success after a failure (the customer retried a declined card) still
/// completes the payment — money taken is never lost — while nothing moves a completed payment.
/// </summary>
public sealed class PaymentStateMachine : MassTransitStateMachine<PaymentState>
{
    public const string Succeeded = "succeeded";
    public const string FailedOutcome = "failed";
    public const string Pending = "pending";
    public const string VerificationSource = "verification";

    private readonly TimeProvider _time;

    public PaymentStateMachine(PaymentSagaOptions options, TimeProvider time)
    {
        _time = time;

        InstanceState(x => x.CurrentState);

        Event(() => Submitted, e =>
        {
            e.CorrelateById(m => m.Message.PaymentId);
            e.InsertOnInitial = true;
            e.SetSagaFactory(m => new PaymentState { CorrelationId = m.Message.PaymentId });
        });
        Event(() => IntentCreated, e => ById(e, m => m.PaymentId));
        Event(() => IntentFailed, e => ById(e, m => m.PaymentId));
        Event(() => Outcome, e => ById(e, m => m.PaymentId));

        Schedule(() => Deadline, x => x.DeadlineToken, s =>
        {
            s.Delay = options.ConfirmationDeadline;
            s.Received = r =>
            {
                r.CorrelateById(m => m.Message.PaymentId);
                r.OnMissingInstance(m => m.Discard());
            };
        });

        Initially(
            When(Submitted)
                .Then(c => Start(c.Saga, c.Message))
                .Publish(c => new CreatePaymentIntent(c.Saga.CorrelationId, c.Saga.TenantId, c.Saga.Gateway))
                .TransitionTo(Creating));

        During(Creating,
            Ignore(Submitted),
            Ignore(Deadline.Received),
            When(IntentCreated)
                .Then(c => c.Saga.GatewayReference = c.Message.GatewayReference)
                .Schedule(Deadline, c => new PaymentConfirmationDeadline(c.Saga.CorrelationId))
                .TransitionTo(Awaiting),
            When(IntentFailed).Fail(c => c.Message.Reason, this),
            When(Outcome, c => c.Message.Outcome == Succeeded).Complete(this),
            When(Outcome, c => c.Message.Outcome == FailedOutcome).Fail(c => c.Message.Reason ?? "declined by the gateway", this),
            When(Outcome, c => c.Message.Outcome == Pending));

        During(Awaiting,
            Ignore(Submitted),
            Ignore(IntentCreated),
            Ignore(IntentFailed),
            When(Deadline.Received)
                .Then(c => c.Saga.Verifications++)
                .Publish(c => new VerifyPayment(c.Saga.CorrelationId, c.Saga.TenantId, c.Saga.Gateway, c.Saga.GatewayReference!, c.Saga.Verifications)),
            When(Outcome, c => c.Message.Outcome == Succeeded).Unschedule(Deadline).Complete(this),
            When(Outcome, c => c.Message.Outcome == FailedOutcome).Unschedule(Deadline).Fail(c => c.Message.Reason ?? "declined by the gateway", this),
            When(Outcome, c => c.Message.Outcome == Pending && c.Message.Source == VerificationSource)
                .IfElse(
                    c => c.Saga.Verifications < options.MaxVerifications,
                    again => again.Schedule(Deadline, c => new PaymentConfirmationDeadline(c.Saga.CorrelationId)),
                    expire => expire.Fail(c => $"no confirmation after {c.Saga.Verifications} verification(s) with the gateway: expired", this)),
            When(Outcome, c => c.Message.Outcome == Pending && c.Message.Source != VerificationSource));

        During(Failed,
            Ignore(Submitted),
            Ignore(IntentCreated),
            Ignore(IntentFailed),
            Ignore(Deadline.Received),
            When(Outcome, c => c.Message.Outcome == Succeeded).Complete(this),
            When(Outcome, c => c.Message.Outcome != Succeeded));

        During(Completed,
            Ignore(Submitted),
            Ignore(IntentCreated),
            Ignore(IntentFailed),
            Ignore(Deadline.Received),
            Ignore(Outcome));
    }

    public State Creating { get; } = null!;

    public State Awaiting { get; } = null!;

    public State Completed { get; } = null!;

    public State Failed { get; } = null!;

    public Event<SubmitPayment> Submitted { get; } = null!;

    public Event<PaymentIntentCreated> IntentCreated { get; } = null!;

    public Event<PaymentIntentFailed> IntentFailed { get; } = null!;

    public Event<PaymentGatewayOutcome> Outcome { get; } = null!;

    public Schedule<PaymentState, PaymentConfirmationDeadline> Deadline { get; } = null!;

    internal DateTimeOffset Now => _time.GetUtcNow();

    private static void Start(PaymentState s, SubmitPayment m)
    {
        s.TenantId = m.TenantId;
        s.Gateway = m.Gateway;
        s.AmountMinor = m.AmountMinor;
        s.Currency = m.Currency;
        s.RequestedCurrency = m.RequestedCurrency;
        s.RequestedAmountMinor = m.RequestedAmountMinor;
        s.FxRate = m.FxRate;
        s.Description = m.Description;
        s.ContactId = m.ContactId;
        s.CustomerName = m.CustomerName;
        s.CustomerEmail = m.CustomerEmail;
        s.InvoiceId = m.InvoiceId;
        s.OpportunityId = m.OpportunityId;
        s.SubmittedAt = m.SubmittedAt;
    }

    /// <summary>Events for a payment that does not exist are dropped (they cannot belong to anything).</summary>
    private static void ById<T>(IEventCorrelationConfigurator<PaymentState, T> e, Func<T, Guid> id)
        where T : class
    {
        e.CorrelateById(m => id(m.Message));
        e.OnMissingInstance(m => m.Discard());
    }
}

/// <summary>The machine's two repeated endings.</summary>
internal static class PaymentBinderExtensions
{
    /// <summary>Records the success and publishes <see cref="PaymentCompleted"/> (once: Completed ignores everything).</summary>
    public static EventActivityBinder<PaymentState, PaymentGatewayOutcome> Complete(
        this EventActivityBinder<PaymentState, PaymentGatewayOutcome> binder, PaymentStateMachine machine) =>
        binder
            .Then(c =>
            {
                c.Saga.GatewayReference = c.Message.GatewayReference ?? c.Saga.GatewayReference;
                c.Saga.CompletedAt = machine.Now;
                c.Saga.FailureReason = null;
            })
            .Publish(c => new PaymentCompleted(
                c.Saga.TenantId, c.Saga.CorrelationId, c.Saga.Gateway, c.Saga.GatewayReference ?? string.Empty, c.Saga.AmountMinor, c.Saga.Currency,
                c.Saga.RequestedCurrency, c.Saga.RequestedAmountMinor, c.Saga.FxRate, c.Saga.Description, c.Saga.ContactId, c.Saga.CustomerName,
                c.Saga.CustomerEmail, c.Saga.InvoiceId, c.Saga.OpportunityId, c.Saga.CompletedAt!.Value))
            .TransitionTo(machine.Completed);

    /// <summary>Records the reason and publishes <see cref="PaymentFailed"/>.</summary>
    public static EventActivityBinder<PaymentState, T> Fail<T>(
        this EventActivityBinder<PaymentState, T> binder, Func<BehaviorContext<PaymentState, T>, string> reason, PaymentStateMachine machine)
        where T : class =>
        binder
            .Then(c =>
            {
                c.Saga.FailureReason = reason(c);
                c.Saga.FailedAt = machine.Now;
            })
            .Publish(c => new PaymentFailed(c.Saga.TenantId, c.Saga.CorrelationId, c.Saga.Gateway, c.Saga.FailureReason!, c.Saga.InvoiceId, c.Saga.FailedAt!.Value))
            .TransitionTo(machine.Failed);
}

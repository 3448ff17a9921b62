using BacBos.Contracts.Payments;
using BacBos.Sagas.Payments;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Behaviour.Tests.Payments;

/// <summary>
/// The payment saga on MassTransit's in-memory harness: one intent per payment, PaymentCompleted exactly once whatever
/// the order and number of outcomes, a success after a failure still completes, and without a webhook the gateway is
/// asked after each deadline until the payment expires.
/// </summary>
public sealed class When_a_payment_saga_runs : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Guid _paymentId = NewId.NextGuid();
    private readonly Guid _tenantId = Guid.NewGuid();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<PaymentStateMachine, PaymentState> _saga = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(new PaymentSagaOptions { ConfirmationDeadline = TimeSpan.FromMilliseconds(300), MaxVerifications = 2 })
            .AddSingleton(TimeProvider.System)
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testTimeout: Deadline, testInactivityTimeout: TimeSpan.FromSeconds(2));
                x.AddDelayedMessageScheduler();
                x.AddSagaStateMachine<PaymentStateMachine, PaymentState>();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _saga = _harness.GetSagaStateMachineHarness<PaymentStateMachine, PaymentState>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    private Task SubmitAsync() =>
        InjectAsync(new SubmitPayment(_paymentId, _tenantId, "stripe", 4999, "USD", null, null, null, "Order", null, "Ada", "ada@example.com", null, null, DateTimeOffset.UtcNow));

    private Task IntentCreatedAsync() => InjectAsync(new PaymentIntentCreated(_paymentId, _tenantId, "stripe", "pi_1", "requires_action"));

    private Task OutcomeAsync(string outcome, string source = "webhook", string? reason = null) =>
        InjectAsync(new PaymentGatewayOutcome(_paymentId, _tenantId, "stripe", outcome, "pi_1", reason, source, "evt_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow));

    private Task InjectAsync<T>(T message)
        where T : class => _harness.Bus.Publish(message);

    /// <summary>Waits until the harness saw no message move for its inactivity period: every repeat was handled.</summary>
    private async Task SettledAsync() => await _harness.InactivityTask;

    private async Task<PaymentState> StateAsync(Func<PaymentStateMachine, State> state)
    {
        var found = await _saga.Exists(_paymentId, state, Deadline);
        Assert.True(found.HasValue, $"the payment did not reach {state(_saga.StateMachine).Name}");
        return _saga.Sagas.Select(x => x.CorrelationId == _paymentId).Single().Saga;
    }

    /// <summary>
    /// Waits (up to the deadline) until a matching message was published. Not the harness's inactivity wait: a
    /// scheduled deadline in flight is no activity, so on a busy machine that wait could end before the deadline fires.
    /// </summary>
    private async Task<bool> PublishedAsync<T>(Func<T, bool> filter)
        where T : class
    {
        using var deadline = new CancellationTokenSource(Deadline);
        return await _harness.Published.Any<T>(x => filter(x.Context.Message), deadline.Token);
    }

    private int Published<T>(Func<T, bool>? filter = null)
        where T : class
    {
        using var none = new CancellationTokenSource();
        none.Cancel();
        return _harness.Published.Select<T>(none.Token).Count(m => m.Context.Message is var message && (filter is null || filter(message)));
    }

    [Fact]
    public async Task A_confirmed_payment_should_complete_exactly_once()
    {
        await SubmitAsync();
        Assert.True(await PublishedAsync<CreatePaymentIntent>(x => x.PaymentId == _paymentId));
        await IntentCreatedAsync();
        await StateAsync(m => m.Awaiting);

        await OutcomeAsync("succeeded");
        await OutcomeAsync("succeeded");
        await OutcomeAsync("failed", reason: "late decline");
        var state = await StateAsync(m => m.Completed);
        await SettledAsync();

        Assert.Equal("pi_1", state.GatewayReference);
        Assert.True(await PublishedAsync<PaymentCompleted>(x => x.PaymentId == _paymentId && x.AmountMinor == 4999));
        Assert.Equal(1, Published<PaymentCompleted>());
        Assert.Equal(0, Published<PaymentFailed>());
        Assert.Equal(1, Published<CreatePaymentIntent>());
    }

    [Fact]
    public async Task A_success_that_overtakes_the_intent_reply_should_complete_and_the_reply_change_nothing()
    {
        await SubmitAsync();
        await OutcomeAsync("succeeded");
        await StateAsync(m => m.Completed);

        await IntentCreatedAsync();
        await InjectAsync(new PaymentIntentFailed(_paymentId, _tenantId, "stripe", "late"));
        await SettledAsync();

        await StateAsync(m => m.Completed);
        Assert.Equal(1, Published<PaymentCompleted>());
        Assert.Equal(0, Published<PaymentFailed>());
    }

    [Fact]
    public async Task A_success_after_a_failure_should_still_complete_the_payment()
    {
        await SubmitAsync();
        await InjectAsync(new PaymentIntentFailed(_paymentId, _tenantId, "stripe", "Stripe answered 402: card_error (generic_decline)"));
        var failed = await StateAsync(m => m.Failed);
        Assert.Equal("Stripe answered 402: card_error (generic_decline)", failed.FailureReason);
        Assert.True(await PublishedAsync<PaymentFailed>(x => x.Reason.Contains("generic_decline", StringComparison.Ordinal)));

        await OutcomeAsync("succeeded");

        var completed = await StateAsync(m => m.Completed);
        await SettledAsync();
        Assert.Null(completed.FailureReason);
        Assert.Equal(1, Published<PaymentCompleted>());
    }

    [Fact]
    public async Task Without_a_webhook_the_gateway_should_be_asked_after_each_deadline_until_the_payment_expires()
    {
        await SubmitAsync();
        await IntentCreatedAsync();

        Assert.True(await PublishedAsync<VerifyPayment>(x => x.PaymentId == _paymentId && x.Attempt == 1));
        await OutcomeAsync("pending", "verification");
        await OutcomeAsync("pending", "webhook");
        Assert.True(await PublishedAsync<VerifyPayment>(x => x.PaymentId == _paymentId && x.Attempt == 2));
        await OutcomeAsync("pending", "verification");

        var state = await StateAsync(m => m.Failed);
        await SettledAsync();
        Assert.Contains("expired", state.FailureReason, StringComparison.Ordinal);
        Assert.Equal(2, Published<VerifyPayment>());
        Assert.Equal(1, Published<PaymentFailed>());
    }

    [Fact]
    public async Task A_verified_success_should_complete_the_payment()
    {
        await SubmitAsync();
        await IntentCreatedAsync();
        Assert.True(await PublishedAsync<VerifyPayment>(x => x.PaymentId == _paymentId));

        await OutcomeAsync("succeeded", "verification");

        await StateAsync(m => m.Completed);
        await SettledAsync();
        Assert.Equal(1, Published<PaymentCompleted>());
    }
}

using BacBos.Contracts.Activation;
using BacBos.Sagas.Activation;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Behaviour.Tests.Activation.Saga;

/// <summary>
/// One in-memory MassTransit test harness per test: the activation state machine with the harness's in-memory saga
/// repository, and the scripted step and compensation consumers. All waits are on conditions with deadlines.
/// </summary>
public sealed class ActivationSagaHarness : IAsyncDisposable
{
    /// <summary>Upper bound for any single wait; generous because test classes run in parallel.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _provider;

    private ActivationSagaHarness(ServiceProvider provider, ActivationScript script, ActivationOptions options)
    {
        _provider = provider;
        Script = script;
        Options = options;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<ActivationStateMachine, ActivationState>();
    }

    public ITestHarness Harness { get; }

    public ISagaStateMachineTestHarness<ActivationStateMachine, ActivationState> Saga { get; }

    public ActivationScript Script { get; }

    public ActivationOptions Options { get; }

    public Guid ActivationId { get; } = NewId.NextGuid();

    public static async Task<ActivationSagaHarness> StartAsync(ActivationScript script, ActivationOptions? options = null)
    {
        options ??= ActivationSagaTestData.Options();
        var provider = new ServiceCollection()
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(script)
            .AddMassTransitTestHarness(x =>
            {
                // The inactivity timeout only decides when the harness stops waiting for more messages; keep it well
                // above any pause between two messages of one run so waits never end early on a busy machine.
                x.SetTestTimeouts(testTimeout: Deadline, testInactivityTimeout: TimeSpan.FromSeconds(10));
                x.AddSagaStateMachine<ActivationStateMachine, ActivationState>();
                x.AddConsumer<ScriptedStepConsumer>();
                x.AddConsumer<ScriptedCompensationConsumer>();
            })
            .BuildServiceProvider(validateScopes: true);

        var harness = new ActivationSagaHarness(provider, script, options);
        await harness.Harness.Start();
        return harness;
    }

    public Task SubmitAsync() =>
        Harness.Bus.Publish(new SubmitActivation(ActivationId, ActivationSagaTestData.Input(), ActivationSagaTestData.SubmittedAt));

    /// <summary>Waits until the activation is in <paramref name="state"/> and returns the saga instance.</summary>
    public async Task<ActivationState> WaitForStateAsync(Func<ActivationStateMachine, State> state)
    {
        var found = await Saga.Exists(ActivationId, state, Deadline);
        Assert.True(
            found.HasValue,
            $"activation did not reach {state(Saga.StateMachine).Name} within {Deadline}; it is {Instance()?.CurrentState ?? "missing"}");
        return Instance()!;
    }

    /// <summary>Waits until a step consumer received the given attempt of a step.</summary>
    public async Task WaitForCommandAsync<T>(int attempt)
        where T : class, IActivationStepCommand
    {
        var received = await Harness.Consumed.Any<T>(x => x.Context.Message.ActivationId == ActivationId && x.Context.Message.Attempt == attempt);
        Assert.True(received, $"{typeof(T).Name} attempt {attempt} was not consumed within {Deadline}");
    }

    /// <summary>Waits until the compensation consumer received <paramref name="count"/> commands of type <typeparamref name="T"/>.</summary>
    public async Task WaitForCompensationCommandsAsync<T>(int count)
        where T : class, IActivationCompensationCommand
    {
        var seen = 0;
        await foreach (var _ in Harness.Consumed.SelectAsync<T>(x => x.Context.Message.ActivationId == ActivationId))
        {
            if (++seen == count)
            {
                return;
            }
        }

        Assert.Fail($"{typeof(T).Name} was consumed {seen} time(s), expected {count}, within {Deadline}");
    }

    /// <summary>Publishes a message as if another participant sent it, and waits until the saga has handled it.</summary>
    public async Task InjectAsync<T>(T message)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = messageId);
        var handled = await Saga.Consumed.Any<T>(x => x.Context.MessageId == messageId);
        Assert.True(handled, $"the saga did not handle the injected {typeof(T).Name} within {Deadline}");
        var consumed = Assert.Single(Saga.Consumed.Select<T>(x => x.Context.MessageId == messageId, AlreadyCancelled));
        Assert.Null(consumed.Exception);
    }

    /// <summary>No consumer (the saga included) threw; an unhandled event or a bad decision would show up here.</summary>
    public void AssertNothingFaulted()
    {
        Assert.Empty(Harness.Consumed.Select(x => x.Exception is not null, AlreadyCancelled).Select(x => x.Exception!.Message));
        Assert.Empty(Harness.Published.Select<Fault>(AlreadyCancelled).Select(x => x.MessageType.Name));
    }

    /// <summary>The live saga instance (the in-memory repository hands out the stored object). Does not wait.</summary>
    public ActivationState? Instance() =>
        Saga.Sagas.Select(x => x.CorrelationId == ActivationId, AlreadyCancelled).Select(x => x.Saga).FirstOrDefault();

    /// <summary>
    /// Everything the saga published for this activation so far: step commands, compensation commands and the final
    /// events. A snapshot: it does not wait for more.
    /// </summary>
    public IReadOnlyList<object> PublishedBySaga() =>
        Harness.Published
            .Select(_ => true, AlreadyCancelled)
            .Select(p => p.MessageObject)
            .Where(m => m switch
            {
                IActivationStepCommand c => c.ActivationId == ActivationId,
                IActivationCompensationCommand c => c.ActivationId == ActivationId,
                ActivationCompleted e => e.ActivationId == ActivationId,
                ActivationFailed e => e.ActivationId == ActivationId,
                _ => false,
            })
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    /// <summary>The harness lists wait for further messages unless their token is already cancelled.</summary>
    private static CancellationToken AlreadyCancelled => new(canceled: true);
}

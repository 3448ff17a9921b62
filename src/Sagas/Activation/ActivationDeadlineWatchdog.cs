using BacBos.Contracts.Activation;
using BacBos.Platform.Sagas;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BacBos.Sagas.Activation;

/// <summary>
/// Backstop for the in-memory transport only (the embedded default): a crash there loses messages already handed to
/// the transport, including a step command and the ScheduleMessage that would have armed its deadline. This sweep
/// publishes <see cref="ActivationStepTimedOut"/> for every running step (or compensation) past its deadline so such
/// an activation retries instead of hanging. With RabbitMQ the deadlines are scheduled messages (<c>Schedule</c> in
/// the state machine) and this service is not registered. The saga ignores timeouts for attempts no longer current.
/// </summary>
public sealed class ActivationDeadlineWatchdog(
    SagaDocumentStore<ActivationState> store,
    IBus bus,
    ActivationOptions options,
    TimeProvider time,
    ILogger<ActivationDeadlineWatchdog> logger) : BackgroundService
{
    private static readonly string[] ActiveStates = ["Running", "Compensating"];

    /// <summary>One sweep; returns how many timeouts were published.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var published = 0;
        foreach (var activation in await store.ListAsync(ActiveStates, int.MaxValue, cancellationToken))
        {
            if (activation.CurrentStep is not { } current)
            {
                continue;
            }

            var step = activation.Step(current);
            if (step.DeadlineAt is not { } deadline || deadline > now)
            {
                continue;
            }

            var attempt = step.Status == ActivationStepStatus.Compensating ? step.CompensationAttempts : step.Attempts;
            logger.LogWarning(
                "Activation {ActivationId} step {Step} attempt {Attempt} passed its deadline {Deadline}",
                activation.CorrelationId,
                current,
                attempt,
                deadline);
            await bus.Publish(new ActivationStepTimedOut(activation.CorrelationId, current, attempt), cancellationToken);
            published++;
        }

        return published;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.WatchdogInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Activation deadline sweep failed; retrying on the next tick");
            }
        }
    }
}

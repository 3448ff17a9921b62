using BacBos.Contracts.Activation;
using BacBos.Platform.Sagas;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BacBos.Sagas.Activation;

/// <summary>
/// Publishes <see cref="ActivationStepTimedOut"/> for every running step (or compensation) past its deadline, so an
/// activation whose command or reply was lost (a crash between the saga's commit and its publish, an in-memory bus
/// restarted) retries instead of hanging. Several replicas may run it: the saga ignores timeouts for attempts that are
/// no longer current.
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

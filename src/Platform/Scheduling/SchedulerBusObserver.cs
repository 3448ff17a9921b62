using MassTransit;
using Microsoft.Extensions.Logging;
using Quartz;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// Runs the Quartz scheduler with the bus: started once the bus is ready (scheduled messages are sent through it),
/// put in standby when the bus begins to stop (no new firings), shut down after it stopped. Scheduling commands that
/// arrive before the start are stored and fire once it started.
/// </summary>
public sealed class SchedulerBusObserver(
    ISchedulerFactory schedulerFactory,
    ScheduledMessageJobRegistration job,
    ILogger<SchedulerBusObserver> logger) : IBusObserver
{
    private IScheduler? _scheduler;

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public async Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        try
        {
            await busReady;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The bus did not become ready; the message scheduler stays stopped");
            return;
        }

        var scheduler = await job.EnsureAsync(schedulerFactory, CancellationToken.None);
        await scheduler.Start(CancellationToken.None);
        _scheduler = scheduler;
        logger.LogInformation(
            "Message scheduler {SchedulerName} started (instance {SchedulerInstanceId})",
            scheduler.SchedulerName, scheduler.SchedulerInstanceId);
    }

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public async Task PreStop(IBus bus)
    {
        if (_scheduler is { } scheduler)
        {
            await scheduler.Standby(CancellationToken.None);
        }
    }

    public async Task PostStop(IBus bus)
    {
        if (_scheduler is { } scheduler)
        {
            _scheduler = null;
            await scheduler.Shutdown(true, CancellationToken.None);
            logger.LogInformation("Message scheduler {SchedulerName} shut down", scheduler.SchedulerName);
        }
    }

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}

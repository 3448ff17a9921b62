using MassTransit;

namespace BacBos.Consumers.Crm.Kafka.Inbound;

/// <summary>
/// Completes once the bus is ready. Publishing earlier could reach an exchange whose queues are not bound yet (the
/// message would be dropped by the broker), so the inbound consumer reads no record before this.
/// </summary>
public sealed class BusStartedSignal : IBusObserver
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitAsync(CancellationToken cancellationToken) => _started.Task.WaitAsync(cancellationToken);

    public async Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        await busReady;
        _started.TrySetResult();
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}

using Quartz;

namespace BacBos.Platform.Scheduling;

/// <summary>
/// Makes sure the durable <see cref="ScheduledMessageJob"/> is stored before triggers reference it: once per scheduler
/// instance (it stays in the persistent store; storing it again replaces it with the same definition).
/// </summary>
public sealed class ScheduledMessageJobRegistration : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IScheduler? _ensuredFor;

    /// <summary>The scheduler of <paramref name="factory"/>, with the job stored.</summary>
    public async Task<IScheduler> EnsureAsync(ISchedulerFactory factory, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        if (ReferenceEquals(Volatile.Read(ref _ensuredFor), scheduler))
        {
            return scheduler;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(_ensuredFor, scheduler))
            {
                if (!await scheduler.Exists(ScheduledMessageJob.Key, cancellationToken))
                {
                    await scheduler.AddJob(ScheduledMessageJob.Definition, AddJobOptions.Replacing, cancellationToken);
                }

                Volatile.Write(ref _ensuredFor, scheduler);
            }

            return scheduler;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

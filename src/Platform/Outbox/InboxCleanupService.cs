using BacBos.Platform.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BacBos.Platform.Outbox;

/// <summary>Removes inbox rows whose messages were delivered longer ago than the duplicate-detection window.</summary>
public sealed class InboxCleanupService(Database database, OutboxOptions options, TimeProvider time, ILogger<InboxCleanupService> logger) : BackgroundService
{
    public async Task<int> CleanupAsync(CancellationToken cancellationToken)
    {
        await using var session = await database.BeginOwnedAsync(cancellationToken);
        var removed = await session.ExecuteAsync(
            "DELETE FROM inbox_state WHERE delivered_at IS NOT NULL AND delivered_at < @t",
            cancellationToken,
            ("t", database.Time(time.GetUtcNow() - options.DuplicateDetectionWindow)));
        await session.CommitAsync(cancellationToken);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CleanupInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var removed = await CleanupAsync(stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Removed {Count} inbox rows older than {Window}", removed, options.DuplicateDetectionWindow);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Inbox cleanup failed; retrying on the next tick");
            }
        }
    }
}

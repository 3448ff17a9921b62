namespace BacBos.Benchmarks.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes (never a fixed sleep as synchronisation).</summary>
public static class Wait
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        var last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {(describe is null ? $"{last}" : describe(last))}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 2));
            last = await probe();
        }

        return last;
    }

    /// <summary>
    /// Waits until <c>Current</c> reaches <c>Target</c> (e.g. messages queued vs rows committed, while an outbox
    /// drains a backlog) as long as it keeps moving: fails after <paramref name="stall"/> without progress or at
    /// <paramref name="cap"/>. Returns the last values and how long the drain took.
    /// </summary>
    public static async Task<(long Target, long Current, TimeSpan Took)> DrainAsync(
        Func<Task<(long Target, long Current)>> probe,
        TimeSpan stall,
        TimeSpan cap,
        string what)
    {
        var started = DateTime.UtcNow;
        var lastProgress = started;
        var (target, current) = await probe();
        var best = current;
        while (current != target)
        {
            var now = DateTime.UtcNow;
            if (now - lastProgress > stall || now - started > cap)
            {
                throw new TimeoutException(
                    $"{what}: {current} of {target} after {(now - started).TotalSeconds:0.#} s ({(now - lastProgress > stall ? $"no progress for {stall.TotalSeconds:0} s" : $"cap {cap.TotalSeconds:0} s")})");
            }

            await Task.Delay(250);
            (target, current) = await probe();
            if (current > best)
            {
                best = current;
                lastProgress = DateTime.UtcNow;
            }
        }

        return (target, current, DateTime.UtcNow - started);
    }
}

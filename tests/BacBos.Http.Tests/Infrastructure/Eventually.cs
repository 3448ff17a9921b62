namespace BacBos.Http.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline (never a fixed sleep as synchronisation).</summary>
public static class Eventually
{
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var delay = TimeSpan.FromMilliseconds(20);
        T last = await probe();
        while (!done(last))
        {
            try
            {
                await Task.Delay(delay, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {last}");
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 2));
            last = await probe();
        }

        return last;
    }
}

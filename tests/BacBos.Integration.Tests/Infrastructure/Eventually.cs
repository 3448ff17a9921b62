namespace BacBos.Integration.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes (never a fixed sleep as synchronisation).</summary>
public static class Eventually
{
    /// <summary>
    /// Probes until <paramref name="done"/> holds and returns the last value; on the deadline throws a
    /// <see cref="TimeoutException"/> describing the last value and, when given, extra diagnostics (process logs).
    /// </summary>
    public static async Task<T> MatchAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        string what,
        Func<T, string>? describe = null,
        Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        var last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow >= deadline)
            {
                var shown = describe is null ? $"{last}" : describe(last);
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {shown}" +
                    (diagnostics is null ? string.Empty : Environment.NewLine + diagnostics()));
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 2));
            last = await probe();
        }

        return last;
    }
}

namespace BacBos.Benchmarks.Infrastructure;

/// <summary>Progress lines of the runner on standard error (standard output carries the result table only).</summary>
public static class Log
{
    private static readonly DateTime Started = DateTime.UtcNow;

    public static void Info(string message) =>
        Console.Error.WriteLine($"[bench {(DateTime.UtcNow - Started).TotalSeconds,6:0.0}s] {message}");
}

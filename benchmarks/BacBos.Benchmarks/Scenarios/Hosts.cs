using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Scenarios;

/// <summary>
/// Starts the real hosts from their Release build output as separate processes, configured only through environment
/// variables (as the integration tests' SplitSystem does), and helper servers of this runner (<c>serve …</c>).
/// </summary>
public static class Hosts
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A BacBos host (<c>Gateway</c> or <c>Worker</c>) on a free loopback port; waits for <c>/health/ready</c>.</summary>
    public static async Task<(ChildProcess Process, Uri BaseAddress)> StartAsync(string name, string project, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var port = Ports.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var env = new Dictionary<string, string>(environment)
        {
            ["Urls"] = baseAddress.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        var dll = Path.Combine(BenchEnvironment.HostOutput(project), $"BacBos.{project}.dll");
        var process = ChildProcess.StartDotnet(name, dll, [], env, logDirectory);
        try
        {
            await process.WaitForHttpAsync(new Uri(baseAddress, "/health/ready"), ReadyTimeout);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return (process, baseAddress);
    }

    /// <summary>
    /// Gateway and worker as two processes started together (the gateway's environment should say
    /// <c>Gateway__HostWorker=false</c>); when one fails to start, the other is stopped too.
    /// </summary>
    public static async Task<(ChildProcess Gateway, Uri Address, ChildProcess Worker)> StartSplitAsync(
        IReadOnlyDictionary<string, string> gatewayEnvironment, IReadOnlyDictionary<string, string> workerEnvironment, string logDirectory)
    {
        var starting = new[]
        {
            StartAsync("gateway", "Gateway", gatewayEnvironment, logDirectory),
            StartAsync("worker", "Worker", workerEnvironment, logDirectory),
        };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                started.Result.Process.Dispose();
            }

            throw;
        }

        return (starting[0].Result.Process, starting[0].Result.BaseAddress, starting[1].Result.Process);
    }

    /// <summary>One of this runner's helper servers (<c>serve bare</c>) on a free loopback port.</summary>
    public static async Task<(ChildProcess Process, int Port)> StartHelperAsync(string kind, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var port = Ports.Free();
        var process = ChildProcess.StartDotnet($"serve-{kind}", BenchEnvironment.RunnerAssembly, ["serve", kind, "--port", $"{port}"], environment, logDirectory);
        try
        {
            await process.WaitForPortAsync(port, ReadyTimeout);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return (process, port);
    }
}

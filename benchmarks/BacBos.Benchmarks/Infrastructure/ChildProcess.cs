using System.Diagnostics;
using System.Net;

namespace BacBos.Benchmarks.Infrastructure;

/// <summary>
/// A process a scenario starts (gateway, worker, a runner part, a helper server, nginx), configured through
/// environment variables, its output copied to a log file; its peak RSS is read from <c>/proc</c> before it stops.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private bool _logClosed;

    private ChildProcess(string name, Process process, StreamWriter log, string logFile)
    {
        Name = name;
        _process = process;
        _log = log;
        LogFile = logFile;
    }

    public string Name { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet {dll} {args}</c> with the working directory next to the dll.</summary>
    public static ChildProcess StartDotnet(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the solution ({BenchEnvironment.Configuration}) first.");
        }

        return Start(name, BenchEnvironment.DotnetHost, args.Prepend(dll), environment, Path.GetDirectoryName(dll)!, logDirectory);
    }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        Directory.CreateDirectory(logDirectory);
        var logFile = Path.Combine(logDirectory, $"{name}-{DateTime.UtcNow:HHmmss.fff}.log");
        var log = new StreamWriter(new FileStream(logFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log, logFile);
        process.OutputDataReceived += (_, e) => child.Write("out", e.Data);
        process.ErrorDataReceived += (_, e) => child.Write("err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({fileName})");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        child.Write("bench", $"started pid {process.Id}: {fileName} {string.Join(' ', info.ArgumentList)}");
        return child;
    }

    /// <summary>Polls a URL until it answers 200 (e.g. <c>/health/ready</c>: database and bus).</summary>
    public async Task WaitForHttpAsync(Uri url, TimeSpan timeout) =>
        await Wait.UntilAsync(
            async () =>
            {
                ThrowIfExited();
                try
                {
                    using var response = await Probe.GetAsync(url);
                    return response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return (HttpStatusCode)0;
                }
                catch (TaskCanceledException)
                {
                    return (HttpStatusCode)0;
                }
            },
            status => status == HttpStatusCode.OK,
            timeout,
            $"{Name}: GET {url} = 200",
            status => $"{(int)status}{Environment.NewLine}{Tail()}");

    /// <summary>Polls a loopback port until it accepts connections.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout) =>
        await Wait.UntilAsync(
            async () =>
            {
                ThrowIfExited();
                return await Ports.AcceptsAsync(port);
            },
            open => open,
            timeout,
            $"{Name}: 127.0.0.1:{port} accepting connections",
            _ => Tail());

    /// <summary>Waits for a process that ends by itself (a runner part); kills it at the deadline.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Tail()}");
        }
    }

    /// <summary>Peak RSS of the process (with <paramref name="includeChildren"/>, plus its direct children).</summary>
    public long? PeakRssBytes(bool includeChildren = false)
    {
        var own = ProcessMemory.PeakRssBytes(Pid);
        if (!includeChildren || own is null)
        {
            return own;
        }

        return own + ProcessMemory.Children(Pid).Sum(c => ProcessMemory.PeakRssBytes(c) ?? 0);
    }

    /// <summary>SIGKILL of the process tree (a benchmark host has nothing to flush).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        _process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>The last lines of the process's output, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = new List<string>();
        lock (_gate)
        {
            using var reader = new StreamReader(new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            while (reader.ReadLine() is { } line)
            {
                all.Add(line);
            }
        }

        var tail = all.Skip(Math.Max(0, all.Count - lines));
        return $"----- {Name} ({LogFile}), last {Math.Min(lines, all.Count)} of {all.Count} lines -----{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        lock (_gate)
        {
            _logClosed = true;
            _log.Dispose();
        }

        _process.Dispose();
    }

    private void ThrowIfExited()
    {
        if (HasExited)
        {
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{Tail()}");
        }
    }

    private void Write(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (!_logClosed)
            {
                _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{stream}] {line}");
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BacBos.Integration.Tests.Infrastructure;

/// <summary>
/// One BacBos host (gateway or worker) started as its own OS process with <c>dotnet {Host}.dll</c> from its build
/// output, configured through environment variables, its stdout/stderr copied to a log file.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _gate = new();
    private bool _logClosed;

    private HostProcess(string name, Process process, StreamWriter log, string logFile, Uri baseAddress)
    {
        Name = name;
        _process = process;
        _log = log;
        LogFile = logFile;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public string LogFile { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>src/{project}/bin/{Configuration}/{tfm}/{assembly}.dll</c> on a free local port.</summary>
    public static HostProcess Start(string name, string project, string assembly, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var output = TestEnvironment.HostOutput(project);
        var dll = Path.Combine(output, assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the solution ({TestEnvironment.Configuration}) first.");
        }

        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo(TestEnvironment.DotnetHost)
        {
            WorkingDirectory = output,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["Urls"] = baseAddress.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        Directory.CreateDirectory(logDirectory);
        var logFile = Path.Combine(logDirectory, $"{name}-{DateTime.UtcNow:HHmmss.fff}.log");
        var log = new StreamWriter(new FileStream(logFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(name, process, log, logFile, baseAddress);
        process.OutputDataReceived += (_, e) => host.Write("out", e.Data);
        process.ErrorDataReceived += (_, e) => host.Write("err", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        host.Write("test", $"started pid {process.Id}: {info.FileName} {dll} on {baseAddress}");
        return host;
    }

    /// <summary>Polls <c>GET /health/ready</c> (database and bus) until it answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var ready = new Uri(BaseAddress, "/health/ready");
        await Eventually.MatchAsync(
            async () =>
            {
                if (HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{Tail()}");
                }

                try
                {
                    using var response = await Probe.GetAsync(ready);
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
            $"{Name} GET /health/ready = 200",
            status => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
            () => Tail());
    }

    /// <summary>SIGKILL of the process and its children: no shutdown hooks, no acknowledgements, nothing flushed.</summary>
    public void Kill()
    {
        Write("test", "killing (entire process tree)");
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException($"{Name} (pid {_process.Id}) did not exit after kill");
        }

        _process.WaitForExit();
    }

    /// <summary>The last lines of the process's output, for assertion messages.</summary>
    public string Tail(int lines = 60)
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

    /// <summary>A local port nothing listens on (bound and released at once).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

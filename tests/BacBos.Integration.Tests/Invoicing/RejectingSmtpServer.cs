using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using BacBos.Integration.Tests.Infrastructure;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// A second real SMTP server for one test class: aiosmtpd (Debian's python3-aiosmtpd, installed by scripts/servers.sh
/// for the shared test server) with the handler <c>rejecting_smtp.py</c>, writing to the shared test Maildir but
/// answering RCPT for <c>…@rejected.invalid</c> with 550 and for <c>…@deferred.invalid</c> with 450. Its own process on
/// a free port, stopped with the fixture.
/// </summary>
public sealed class RejectingSmtpServer : IAsyncLifetime
{
    /// <summary>Recipients at this domain are rejected for good (550 5.1.1).</summary>
    public const string RejectedDomain = "rejected.invalid";

    /// <summary>Recipients at this domain are deferred (450 4.2.1).</summary>
    public const string DeferredDomain = "deferred.invalid";

    private readonly StringBuilder _output = new();
    private Process? _process;

    public int Port { get; } = HostProcess.FreePort();

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", "-c", "rejecting_smtp.RejectingMailbox", TestEnvironment.SmtpMaildir })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "Invoicing");
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.MatchAsync(Greets, ready => ready || _process.HasExited, TimeSpan.FromSeconds(30), $"aiosmtpd on 127.0.0.1:{Port}", _ => Output());
        Assert.False(_process.HasExited, $"aiosmtpd exited: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Whether the server answers with its 220 greeting.</summary>
    private async Task<bool> Greets()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            using var reader = new StreamReader(client.GetStream());
            return (await reader.ReadLineAsync())?.StartsWith("220", StringComparison.Ordinal) == true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}

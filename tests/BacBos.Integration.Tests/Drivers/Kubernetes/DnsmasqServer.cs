using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BacBos.Integration.Tests.Infrastructure;
using DnsClient;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>
/// A real DNS server for propagation checks: dnsmasq (Debian package <c>dnsmasq-base</c>) in the foreground on a free
/// loopback port (UDP and TCP), answering only the records in its own configuration file (<c>--no-resolv</c>,
/// <c>--no-hosts</c>). <see cref="SetRecordsAsync"/> rewrites the file and restarts it on the same port (dnsmasq
/// re-reads only hosts files on SIGHUP, and TXT/MX/CNAME live in its configuration). The binary is taken from
/// <c>BACBOS_TEST_DNSMASQ</c>, else <c>/usr/sbin/dnsmasq</c>, else PATH.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    /// <summary>A record always present, used to tell that the server answers.</summary>
    public const string ReadyName = "ready.dnsmasq.test";

    private readonly string _directory = Directory.CreateTempSubdirectory("bacbos-dnsmasq-").FullName;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private DnsmasqServer(int port) => Port = port;

    public int Port { get; private set; }

    /// <summary>The resolver as <c>Drivers:Dns:Resolvers</c> expects it.</summary>
    public string Resolver => $"127.0.0.1:{Port}";

    public IReadOnlyList<string> Records { get; private set; } = [];

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<DnsmasqServer> StartAsync(IEnumerable<string>? records = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new DnsmasqServer(FreePort());
            try
            {
                await server.SetRecordsAsync(records ?? []);
                return server;
            }
            catch (Exception) when (attempt < 3)
            {
                // Another process took the port between probing and binding: try another one.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The configuration keys that point the DNS/TLS driver at this server: resolver, ingress target, a short
    /// propagation wait and polling.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Configuration(string ingressTarget, TimeSpan? propagationTimeout = null) => new Dictionary<string, string?>
    {
        ["Drivers:Dns:Resolvers:0"] = Resolver,
        ["Drivers:Dns:IngressTarget"] = ingressTarget,
        ["Drivers:Dns:PropagationTimeout"] = (propagationTimeout ?? TimeSpan.FromSeconds(5)).ToString("c"),
        ["Drivers:Dns:PropagationPollInterval"] = "00:00:00.100",
        ["Drivers:Dns:QueryTimeout"] = "00:00:01",
        ["Drivers:Dns:MailExchanger"] = "mx.platform.test",
        ["Drivers:Tls:ClusterIssuer"] = "letsencrypt-test",
    };

    /// <summary>Replaces the served records (dnsmasq configuration lines such as <c>host-record=…</c>) and waits until it answers.</summary>
    public async Task SetRecordsAsync(IEnumerable<string> records)
    {
        Records = records.ToList();
        var conf = Path.Combine(_directory, "dnsmasq.conf");
        await File.WriteAllLinesAsync(conf, [$"host-record={ReadyName},127.0.0.1", .. Records]);
        await StopAsync();
        Start(conf);
        var client = new LookupClient(new LookupClientOptions(new IPEndPoint(IPAddress.Loopback, Port))
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(500),
            Retries = 0,
            ThrowDnsErrors = false,
        });
        await Eventually.MatchAsync(
            async () =>
            {
                if (_process is { HasExited: true })
                {
                    throw new InvalidOperationException($"dnsmasq exited with {_process.ExitCode}: {Log}");
                }

                try
                {
                    return (await client.QueryAsync(ReadyName, QueryType.A)).Answers.ARecords().Any();
                }
                catch (DnsResponseException)
                {
                    return false;
                }
            },
            answered => answered,
            TimeSpan.FromSeconds(15),
            $"dnsmasq on port {Port} to answer",
            diagnostics: () => Log);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Temporary files only.
        }
    }

    private void Start(string conf)
    {
        var info = new ProcessStartInfo(Binary())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces",
                     "--listen-address=127.0.0.1", $"--port={Port}", $"--conf-file={conf}", "--pid-file=", "--log-facility=-",
                     "--cache-size=0",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 64_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static string Binary()
    {
        var configured = Environment.GetEnvironmentVariable("BACBOS_TEST_DNSMASQ");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var candidates = new[] { "/usr/sbin/dnsmasq" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(p => Path.Combine(p, "dnsmasq")));
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new InvalidOperationException("dnsmasq not found: install the Debian package dnsmasq-base (scripts/servers.sh) or set BACBOS_TEST_DNSMASQ");
    }

    /// <summary>A port free for both TCP and UDP on 127.0.0.1 right now.</summary>
    private static int FreePort()
    {
        for (var i = 0; i < 20; i++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // UDP side taken: try another.
            }
        }

        throw new InvalidOperationException("no free loopback port for dnsmasq");
    }
}

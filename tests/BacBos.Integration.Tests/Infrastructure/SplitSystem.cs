using System.Security.Cryptography;

namespace BacBos.Integration.Tests.Infrastructure;

/// <summary>
/// BacBos split as in production: the gateway and the worker as two OS processes on real RabbitMQ and PostgreSQL,
/// with a database and a virtual host of their own. Subclasses (one per test class) add settings.
/// </summary>
public abstract class SplitSystem : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bacbos-it", Guid.NewGuid().ToString("N"));
    private readonly List<HostProcess> _workers = [];
    private bool _disposed;
    private readonly string _dataKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The gateway's operator credential (<c>X-Api-Key</c>).</summary>
    public string OperatorKey { get; } = "it-operator-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public PostgresDatabase Database { get; private set; } = null!;

    public RabbitVhost Vhost { get; private set; } = null!;

    public HostProcess Gateway { get; private set; } = null!;

    /// <summary>The worker started last.</summary>
    public HostProcess Worker => _workers[^1];

    /// <summary>An HTTP client for the gateway, authenticated as operator.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Process logs go next to the test assembly, so they outlive the run.</summary>
    public string LogDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "process-logs", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..24]);

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // A half-started system must not leave processes, a database or a vhost behind.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        Directory.CreateDirectory(_root);
        Database = await PostgresDatabase.CreateAsync();
        Vhost = await RabbitVhost.CreateAsync();

        var gatewayEnvironment = Common("gateway");
        gatewayEnvironment["Gateway__HostWorker"] = "false";
        ConfigureGateway(gatewayEnvironment);

        // Both start at once: they also race to apply the platform migrations.
        Gateway = HostProcess.Start("gateway", "Gateway", "BacBos.Gateway", gatewayEnvironment, LogDirectory);
        var worker = StartWorker();
        await Task.WhenAll(Gateway.WaitUntilReadyAsync(ReadyTimeout), worker.WaitUntilReadyAsync(ReadyTimeout));

        Http = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
    }

    /// <summary>SIGKILL of the current worker (the whole process tree).</summary>
    public void KillWorker() => Worker.Kill();

    /// <summary>Starts another worker with the same configuration and waits until it is ready.</summary>
    public async Task<HostProcess> StartAnotherWorkerAsync()
    {
        var worker = StartWorker();
        await worker.WaitUntilReadyAsync(ReadyTimeout);
        return worker;
    }

    /// <summary>The tails of every process's log and the vhost's queue statistics, for assertion messages.</summary>
    public string Diagnostics() =>
        string.Join(Environment.NewLine, new[] { Gateway }.Concat(_workers).Where(p => p is not null).Select(p => p.Tail())) +
        Environment.NewLine + "----- queues -----" + Environment.NewLine +
        (Vhost is null ? "  (no vhost)" : Task.Run(Vhost.QueueStatisticsAsync).GetAwaiter().GetResult());

    public virtual async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Http?.Dispose();
        foreach (var process in _workers.Append(Gateway).Where(p => p is not null))
        {
            process.Dispose();
        }

        if (Vhost is not null)
        {
            await Vhost.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    protected virtual void ConfigureGateway(IDictionary<string, string> environment)
    {
    }

    protected virtual void ConfigureWorker(IDictionary<string, string> environment)
    {
    }

    private HostProcess StartWorker()
    {
        var environment = Common("worker");
        ConfigureWorker(environment);
        var worker = HostProcess.Start($"worker{_workers.Count + 1}", "Worker", "BacBos.Worker", environment, LogDirectory);
        _workers.Add(worker);
        return worker;
    }

    private Dictionary<string, string> Common(string host) => new()
    {
        ["Bus__Transport"] = "RabbitMq",
        ["ConnectionStrings__RabbitMq"] = Vhost.AmqpUri.ToString(),
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Postgres"] = Database.ConnectionString,
        ["Database__DataDirectory"] = Path.Combine(_root, "data-" + host),
        ["Security__DataKey"] = _dataKey,
        ["Security__OperatorKeys__0"] = OperatorKey,
        ["Drivers__GitOps__Directory"] = Path.Combine(_root, "gitops"),
    };
}

/// <summary>The process-based classes run one after another: they are heavy on a small machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "Split processes on RabbitMQ and PostgreSQL";
}

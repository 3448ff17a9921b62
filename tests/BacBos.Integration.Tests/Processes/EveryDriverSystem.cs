using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using BacBos.Consumers;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using BacBos.Integration.Tests.Doubles.Llm;
using BacBos.Integration.Tests.Drivers.Data;
using BacBos.Integration.Tests.Drivers.GitOps;
using BacBos.Integration.Tests.Drivers.Integrations;
using BacBos.Integration.Tests.Drivers.Kubernetes;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Security;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Processes;

/// <summary>
/// The split gateway + worker (<see cref="SplitSystem"/>) with every provisioning driver configured: steps 4 and 9 on
/// the Kubernetes API double, with dnsmasq as the resolver and <see cref="ExternalDnsSync"/> playing ExternalDNS;
/// step 5 on the real Redis, s3rver and ClickHouse; step 6 on a git remote served over HTTP plus the ArgoCD double;
/// step 7 on the Stripe, Paystack and Graph doubles; step 10 on the LLM double. The doubles run in this process and the
/// worker reaches them over loopback HTTP, configured through environment variables as a deployment would configure it.
/// </summary>
public sealed class EveryDriverSystem : IAsyncLifetime, IDisposable
{
    /// <summary>Where the tenants' web hosts point (a documentation address: nothing is ever served there).</summary>
    public const string IngressAddress = "203.0.113.20";

    private readonly CancellationTokenSource _stopExternalDns = new();
    private readonly ConcurrentDictionary<Guid, byte> _tenants = new();
    private Task? _externalDns;

    public KubernetesApiDouble Kubernetes { get; private set; } = null!;

    public DnsmasqServer Dns { get; private set; } = null!;

    public DataServers Data { get; } = new();

    public GitOpsTestBed GitOps { get; private set; } = null!;

    public IntegrationDoubles Integrations { get; private set; } = null!;

    public LlmApiDouble Llm { get; private set; } = null!;

    public SplitSystem Split { get; private set; } = null!;

    /// <summary>The worker's driver settings, as configuration keys (<c>Drivers:Kubernetes:Server</c>, …).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        try
        {
            Kubernetes = await KubernetesApiDouble.StartAsync();
            Dns = await DnsmasqServer.StartAsync();
            await Data.InitializeAsync();
            GitOps = await GitOpsTestBed.StartAsync(http: true, argo: true);
            Integrations = await IntegrationDoubles.StartAsync();
            Llm = await LlmApiDouble.StartAsync();
            _externalDns = ExternalDnsSync.RunAsync(Kubernetes, Dns, TimeSpan.FromMilliseconds(100), _stopExternalDns.Token);

            Settings = DriverServices.Merge(
                KubernetesDriverHost.Configuration(Kubernetes, Dns, IngressAddress, TimeSpan.FromSeconds(20)),
                DataServers.Configuration,
                GitOps.Configuration("worker"),
                Integrations.Configuration(),
                Llm.Configuration());
            Split = new ConfiguredSplitSystem(Settings
                .Where(s => s.Value is not null)
                .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!, StringComparer.Ordinal));
            await Split.InitializeAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Polls <c>GET /api/v1/activations/{id}</c> until the activation is completed or failed and returns that answer;
    /// every tenant seen is remembered so that <see cref="DisposeAsync"/> can clear it off the shared data servers.
    /// </summary>
    public async Task<JsonElement> WaitUntilFinishedAsync(Guid activationId, TimeSpan timeout)
    {
        var last = await Eventually.MatchAsync(
            async () =>
            {
                var state = await ActivationApi.TryGetAsync(Split.Http, activationId);
                if (state is { } s && s.GetProperty("tenant_id").GetGuid() is var tenant && tenant != Guid.Empty)
                {
                    _tenants.TryAdd(tenant, 0);
                }

                return state;
            },
            state => state is { } s && ActivationApi.Status(s) is "completed" or "failed",
            timeout,
            $"activation {activationId} to finish",
            state => state is { } s ? $"{ActivationApi.Status(s)} at {s.GetProperty("current_step")} ({ActivationApi.StepsCompleted(s)} steps done)" : "404",
            Diagnostics);
        return last!.Value;
    }

    public string Diagnostics() => Split.Diagnostics();

    public async Task DisposeAsync()
    {
        await _stopExternalDns.CancelAsync();
        if (_externalDns is not null)
        {
            await _externalDns.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (Split is not null)
        {
            // Redis, s3rver and ClickHouse are shared: a completed (or badly compensated) tenant must not stay there.
            await RemoveTenantsFromDataServersAsync();
            await Split.DisposeAsync();
        }

        foreach (var disposable in new IAsyncDisposable?[] { Llm, Integrations, GitOps, Dns, Kubernetes })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        await Data.DisposeAsync();
    }

    public void Dispose() => _stopExternalDns.Dispose();

    /// <summary>The step 5 drivers, composed as the worker composes them, remove every tenant this fixture saw.</summary>
    private async Task RemoveTenantsFromDataServersAsync()
    {
        if (_tenants.IsEmpty)
        {
            return;
        }

        await using var database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = Split.Database.ConnectionString });
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(database)
            .AddSingleton(new TenantSecrets(database, new SecretProtector(RandomNumberGenerator.GetBytes(32)), TimeProvider.System))
            .AddActivationConsumerServices(DataServers.AsConfiguration());
        await using var provider = services.BuildServiceProvider();
        foreach (var tenantId in _tenants.Keys)
        {
            var tenant = DataServers.NewTenant() with { TenantId = tenantId };
            foreach (var driver in new IProvisioningDriver[]
            {
                provider.GetRequiredService<IAnalyticsDriver>(),
                provider.GetRequiredService<IObjectStorageDriver>(),
                provider.GetRequiredService<ICacheDriver>(),
            })
            {
                await driver.RemoveAsync(tenant, CancellationToken.None);
            }
        }
    }

    /// <summary>The split system with the driver settings as the worker's environment (<c>__</c> for <c>:</c>).</summary>
    private sealed class ConfiguredSplitSystem(IReadOnlyDictionary<string, string> workerEnvironment) : SplitSystem
    {
        protected override void ConfigureWorker(IDictionary<string, string> environment)
        {
            foreach (var (key, value) in workerEnvironment)
            {
                environment[key] = value;
            }
        }
    }
}

using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.GitOps;
using BacBos.Integration.Tests.Doubles.ArgoCd;
using BacBos.Integration.Tests.Doubles.Git;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.GitOps;

/// <summary>
/// Everything the step 6 driver talks to, for these tests and a later end-to-end test: a bare git repository as the
/// GitOps remote (as a local path, or served over smart HTTP with basic auth by <see cref="GitHttpServer"/>), the
/// ArgoCD API double with a <c>tenants</c> project that permits only that repository and <c>tenant-*</c> namespaces, the
/// configuration keys pointing the driver at them, and the "nothing left for tenant X" check.
/// </summary>
public sealed class GitOpsTestBed : IAsyncDisposable
{
    public const string Project = "tenants";
    public const string Branch = "main";
    public const string Username = "bacbos-ci";
    public const string Password = "s3cret-gitops-token";
    public const string Token = "argocd-test-token-5b1f";
    public const string AuthorName = "BacBos Test";
    public const string AuthorEmail = "bacbos-test@example.com";

    private readonly List<ServiceProvider> _providers = [];
    private int _workers;

    private GitOpsTestBed(string root, BareGitRemote remote, GitHttpServer? http, ArgoCdApiDouble? argo)
    {
        Root = root;
        Remote = remote;
        Http = http;
        ArgoCd = argo;
        RepositoryUrl = http is null ? remote.Path : http.RepositoryUrl("gitops.git");
    }

    /// <summary>Temporary folder holding the remote and every worker's data folder.</summary>
    public string Root { get; }

    public BareGitRemote Remote { get; }

    public GitHttpServer? Http { get; }

    public ArgoCdApiDouble? ArgoCd { get; }

    public string RepositoryUrl { get; }

    /// <param name="http">Serve the remote over smart HTTP with basic auth (else a local path remote).</param>
    /// <param name="argo">Start the ArgoCD API double (else the driver runs without ArgoCD).</param>
    /// <param name="argoHttps">Serve the ArgoCD double over TLS with a self-signed certificate.</param>
    public static async Task<GitOpsTestBed> StartAsync(bool http = false, bool argo = true, bool argoHttps = false)
    {
        var root = Path.Combine(Path.GetTempPath(), $"bacbos-gitops-{Guid.NewGuid():N}");
        var remote = BareGitRemote.Create(Path.Combine(root, "remotes", "gitops.git"), Branch);
        var server = http ? await GitHttpServer.StartAsync(Path.Combine(root, "remotes"), Username, Password) : null;
        var url = server is null ? remote.Path : server.RepositoryUrl("gitops.git");
        var double_ = argo
            ? await ArgoCdApiDouble.StartAsync(Token, [new ArgoCdProject(Project, [url], [new ArgoCdDestination("https://kubernetes.default.svc", "tenant-*")])], argoHttps)
            : null;
        return new GitOpsTestBed(root, remote, server, double_);
    }

    /// <summary>
    /// Configuration keys of the step 6 driver for one worker. Each worker gets its own data folder (its private clone),
    /// as separate replicas have.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Configuration(string? worker = null, TimeSpan? healthTimeout = null)
    {
        worker ??= $"worker-{Interlocked.Increment(ref _workers)}";
        var settings = new Dictionary<string, string?>
        {
            ["Drivers:GitOps:RepositoryUrl"] = RepositoryUrl,
            ["Drivers:GitOps:Branch"] = Branch,
            ["Drivers:GitOps:AuthorName"] = AuthorName,
            ["Drivers:GitOps:AuthorEmail"] = AuthorEmail,
            ["Drivers:GitOps:WorkDirectory"] = Path.Combine(Root, worker, "gitops-clone"),
            ["Drivers:GitOps:Directory"] = Path.Combine(Root, worker, "gitops-folder"),
        };
        if (Http is not null)
        {
            settings["Drivers:GitOps:Username"] = Username;
            settings["Drivers:GitOps:Password"] = Password;
        }

        if (ArgoCd is not null)
        {
            foreach (var (key, value) in ArgoCd.Configuration(Project, healthTimeout ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)))
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    /// <summary>The step 6 driver as the hosts register it, for <paramref name="settings"/> (default: <see cref="Configuration"/>).</summary>
    public IServiceDeploymentDriver Driver(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var provider = DriverServices.Build(settings ?? Configuration());
        lock (_providers)
        {
            _providers.Add(provider);
        }

        return provider.GetRequiredService<IServiceDeploymentDriver>();
    }

    /// <summary>What step 6 leaves behind for a tenant: files under its folder at the branch tip, its ArgoCD Applications.</summary>
    public (IReadOnlyList<string> Files, IReadOnlyList<string> Applications) LeftFor(Guid tenantId) =>
        (Remote.FilesUnder($"tenants/{tenantId:D}"),
         ArgoCd?.ApplicationsLabelled("bacbos.io/tenant-id", tenantId.ToString("D")) ?? []);

    /// <summary>Fails unless nothing of step 6 is left for the tenant: no git folder, no Applications.</summary>
    public void AssertNothingLeftFor(Guid tenantId)
    {
        var (files, applications) = LeftFor(tenantId);
        Assert.False(Remote.FolderExists($"tenants/{tenantId:D}"), $"tenant folder still in git: {string.Join(", ", files)}");
        Assert.True(applications.Count == 0, $"ArgoCD applications left: {string.Join(", ", applications)}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        if (ArgoCd is not null)
        {
            await ArgoCd.DisposeAsync();
        }

        if (Http is not null)
        {
            await Http.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a clone still being closed; the temp folder is cleaned by the OS
        }
    }
}

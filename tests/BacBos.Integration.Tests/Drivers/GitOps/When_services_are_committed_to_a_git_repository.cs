using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.GitOps;

namespace BacBos.Integration.Tests.Drivers.GitOps;

/// <summary>
/// Step 6 against a GitOps repository without ArgoCD: a local bare repository is the remote; the driver clones it into
/// its private work folder, commits the tenant's per-module chart and values, and pushes.
/// </summary>
public sealed class When_services_are_committed_to_a_git_repository : IAsyncLifetime
{
    private GitOpsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await GitOpsTestBed.StartAsync(argo: false);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Should_push_each_modules_chart_and_values_to_the_branch()
    {
        var tenant = TestTenants.New("crm", "patient_records");
        var driver = _bed.Driver();

        var outcome = await driver.ApplyAsync(tenant, CancellationToken.None);

        var folder = $"tenants/{tenant.TenantId:D}/services";
        Assert.False(outcome.Skipped);
        Assert.Equal(
            ["crm/Chart.yaml", "crm/values.yaml", "patient_records/Chart.yaml", "patient_records/values.yaml"],
            _bed.Remote.FilesUnder(folder));
        var values = _bed.Remote.File($"{folder}/patient_records/values.yaml")!;
        Assert.Equal(TenantServiceManifests.Values(tenant, "patient_records"), values);
        Assert.StartsWith("# Rendered by BacBos", values, StringComparison.Ordinal);
        Assert.Contains("patient-records:\n  tenant:\n", values, StringComparison.Ordinal);
        Assert.Contains($"    id: \"{tenant.TenantId:D}\"", values, StringComparison.Ordinal);
        Assert.Contains($"  namespace: \"{tenant.Namespace}\"", values, StringComparison.Ordinal);
        Assert.Contains("  replicaCount: 2", values, StringComparison.Ordinal); // growth plan
        var chart = _bed.Remote.File($"{folder}/crm/Chart.yaml")!;
        Assert.Contains($"name: {tenant.Namespace}-crm", chart, StringComparison.Ordinal);
        Assert.Contains("  - name: crm\n", chart, StringComparison.Ordinal);

        var commit = Assert.Single(_bed.Remote.Commits());
        Assert.Equal((GitOpsTestBed.AuthorName, GitOpsTestBed.AuthorEmail), (commit.Author, commit.Email));
        Assert.StartsWith($"bacbos: deploy services of tenant {tenant.TenantId:D} (lagos-fresh-foods)", commit.Message, StringComparison.Ordinal);
        Assert.Equal(commit.Sha, outcome.Outputs!["revision"]);
        Assert.Equal("committed", outcome.Outputs["module.crm"]);
        Assert.Equal("committed", outcome.Outputs["module.patient_records"]);
        Assert.Equal("2", outcome.Outputs["changed"]);
        Assert.Contains("no ArgoCD sync", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_make_no_commit_when_repeated()
    {
        var tenant = TestTenants.New("crm", "inventory");
        var driver = _bed.Driver();
        var first = await driver.ApplyAsync(tenant, CancellationToken.None);

        var again = await driver.ApplyAsync(tenant, CancellationToken.None);
        var fromAnotherWorker = await _bed.Driver().ApplyAsync(tenant, CancellationToken.None);

        Assert.Single(_bed.Remote.Commits());
        Assert.Equal("0", again.Outputs!["changed"]);
        Assert.Equal("0", fromAnotherWorker.Outputs!["changed"]);
        Assert.Equal(first.Outputs!["revision"], again.Outputs["revision"]);
        Assert.Contains("already up to date", again.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_commit_only_the_modules_that_changed()
    {
        var tenant = TestTenants.New("crm", "inventory");
        var driver = _bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);

        var outcome = await driver.ApplyAsync(tenant.WithModules("crm", "hr"), CancellationToken.None);

        var folder = $"tenants/{tenant.TenantId:D}/services";
        Assert.Equal(["crm/Chart.yaml", "crm/values.yaml", "hr/Chart.yaml", "hr/values.yaml"], _bed.Remote.FilesUnder(folder));
        Assert.Equal(2, _bed.Remote.Commits().Count);
        Assert.Equal("2", outcome.Outputs!["changed"]); // hr added, inventory removed; crm untouched
    }

    [Fact]
    public async Task Should_remove_the_tenants_folder_in_a_new_commit_and_keep_other_tenants()
    {
        var tenant = TestTenants.New("crm");
        var neighbour = TestTenants.New("Ikeja Motors", ["crm", "fleet"]);
        var driver = _bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        await driver.ApplyAsync(neighbour, CancellationToken.None);

        var removed = await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None);

        _bed.AssertNothingLeftFor(tenant.TenantId);
        Assert.Equal(4, _bed.Remote.FilesUnder($"tenants/{neighbour.TenantId:D}/services").Count);
        var commits = _bed.Remote.Commits();
        Assert.Equal(3, commits.Count);
        Assert.StartsWith($"bacbos: remove services of tenant {tenant.TenantId:D}", commits[0].Message, StringComparison.Ordinal);
        Assert.Contains($"removed tenants/{tenant.TenantId:D}/services in commit {commits[0].Sha[..12]}", removed, StringComparison.Ordinal);

        var again = await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None);

        Assert.Equal("no deployments to remove", again);
        Assert.Equal(3, _bed.Remote.Commits().Count);
    }

    [Fact]
    public async Task Should_succeed_removing_a_tenant_that_was_never_deployed()
    {
        var removed = await _bed.Driver().RemoveAsync(TestTenants.New(), CancellationToken.None);

        Assert.Equal("no deployments to remove", removed);
        Assert.Null(_bed.Remote.Tip());
    }

    [Fact]
    public async Task Should_fail_permanently_when_the_remote_does_not_exist()
    {
        var settings = new Dictionary<string, string?>(_bed.Configuration())
        {
            ["Drivers:GitOps:RepositoryUrl"] = Path.Combine(_bed.Root, "remotes", "missing.git"),
        };

        var error = await Assert.ThrowsAsync<Consumers.Activation.Steps.PermanentStepException>(
            () => _bed.Driver(settings).ApplyAsync(TestTenants.New("crm"), CancellationToken.None));

        Assert.Contains("git fetch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reset_a_clone_left_locked_by_a_crash_and_succeed_on_the_retry()
    {
        var settings = _bed.Configuration();
        var driver = _bed.Driver(settings);
        await driver.ApplyAsync(TestTenants.New("crm"), CancellationToken.None);
        var clone = settings["Drivers:GitOps:WorkDirectory"]!;
        await File.WriteAllTextAsync(Path.Combine(clone, "refs", "remotes", "origin", "main.lock"), "stale");
        _bed.Remote.CommitDirectly("README.md", "GitOps repository\n", "docs: readme"); // the next fetch must move the locked ref
        var tenant = TestTenants.New("orders");

        var error = await Assert.ThrowsAsync<GitOpsRepositoryException>(() => driver.ApplyAsync(tenant, CancellationToken.None));
        var retried = await driver.ApplyAsync(tenant, CancellationToken.None);

        Assert.Contains("reset", error.Message, StringComparison.Ordinal);
        Assert.Equal("1", retried.Outputs!["changed"]); // one module
        Assert.Equal(3, _bed.Remote.Commits().Count);
    }

    [Fact]
    public void Should_register_the_git_driver_only_when_a_repository_is_configured()
    {
        Assert.IsType<GitOpsServiceDeploymentDriver>(_bed.Driver());
        Assert.Equal("gitops", _bed.Driver().Name);
        Assert.IsType<GitOpsFolderServiceDeploymentDriver>(
            _bed.Driver(new Dictionary<string, string?> { ["Drivers:GitOps:Directory"] = Path.Combine(_bed.Root, "folder") }));
        var error = Assert.Throws<InvalidOperationException>(
            () => DriverServices.Build(new Dictionary<string, string?> { ["Drivers:ArgoCd:Server"] = "https://argocd.example.com" }));
        Assert.Contains("Drivers:GitOps:RepositoryUrl", error.Message, StringComparison.Ordinal);
    }
}

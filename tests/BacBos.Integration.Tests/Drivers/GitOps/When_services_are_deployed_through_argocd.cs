using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers.GitOps;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Integration.Tests.Drivers.GitOps;

/// <summary>
/// Step 6 with ArgoCD: after the commit, one Application per module through the API double (create with upsert, sync,
/// wait for Healthy/Synced within the bounded time), and compensation deleting the Applications before the folder.
/// </summary>
public sealed class When_services_are_deployed_through_argocd : IAsyncLifetime
{
    private GitOpsTestBed _bed = null!;

    private Doubles.ArgoCd.ArgoCdApiDouble Argo => _bed.ArgoCd!;

    public async Task InitializeAsync() => _bed = await GitOpsTestBed.StartAsync(argo: true);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Should_create_one_application_per_module_from_the_tenants_folder()
    {
        var tenant = TestTenants.New("crm", "patient_records");

        var outcome = await _bed.Driver().ApplyAsync(tenant, CancellationToken.None);

        var applications = Argo.Applications;
        Assert.Equal([$"{tenant.Namespace}-crm", $"{tenant.Namespace}-patient-records"], applications.Keys.Order(StringComparer.Ordinal));
        var application = applications[$"{tenant.Namespace}-patient-records"];
        Assert.Equal("argocd", application["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal(tenant.TenantId.ToString("D"), application["metadata"]!["labels"]!["bacbos.io/tenant-id"]!.GetValue<string>());
        Assert.Equal("patient_records", application["metadata"]!["labels"]!["bacbos.io/module"]!.GetValue<string>());
        var spec = application["spec"]!;
        Assert.Equal(GitOpsTestBed.Project, spec["project"]!.GetValue<string>());
        Assert.Equal(_bed.RepositoryUrl, spec["source"]!["repoURL"]!.GetValue<string>());
        Assert.Equal($"tenants/{tenant.TenantId:D}/services/patient_records", spec["source"]!["path"]!.GetValue<string>());
        Assert.Equal(GitOpsTestBed.Branch, spec["source"]!["targetRevision"]!.GetValue<string>());
        Assert.Equal(tenant.Namespace, spec["destination"]!["namespace"]!.GetValue<string>());
        Assert.Equal("https://kubernetes.default.svc", spec["destination"]!["server"]!.GetValue<string>());
        Assert.NotNull(_bed.Remote.File($"{spec["source"]!["path"]!.GetValue<string>()}/values.yaml")); // the path ArgoCD reads exists

        var requests = Argo.Requests;
        Assert.All(requests, r => Assert.True(r.HadAuthorization));
        Assert.Equal(2, requests.Count(r => r is { Method: "POST", Path: "/api/v1/applications", Query: "?upsert=true" }));
        var syncs = requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/sync", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, syncs.Count);
        Assert.All(syncs, s => Assert.Equal(outcome.Outputs!["revision"], JsonNode.Parse(s.Body!)!["revision"]!.GetValue<string>()));

        Assert.Equal("Healthy/Synced", outcome.Outputs!["module.crm"]);
        Assert.Equal("Healthy/Synced", outcome.Outputs["module.patient_records"]);
        Assert.Equal("4", outcome.Outputs["changed"]); // two modules committed, two applications created
        Assert.Equal("gitops-argocd", _bed.Driver().Name);
    }

    [Fact]
    public async Task Should_wait_until_every_application_is_healthy()
    {
        Argo.GetsUntilHealthy = 5;
        var tenant = TestTenants.New("crm");

        var outcome = await _bed.Driver().ApplyAsync(tenant, CancellationToken.None);

        var name = $"{tenant.Namespace}-crm";
        var reads = Argo.Requests.Count(r => r.Method == "GET" && r.Path == $"/api/v1/applications/{name}");
        Assert.True(reads >= 5, $"the driver read the application {reads} time(s); it cannot have seen it healthy before the 5th");
        Assert.Equal("Healthy/Synced", outcome.Outputs!["module.crm"]);
        Assert.Equal("Healthy", Argo.Applications[name]["status"]!["health"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Should_change_nothing_when_repeated()
    {
        var tenant = TestTenants.New("crm", "orders");
        var driver = _bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        var before = Argo.Requests.Count;

        var again = await driver.ApplyAsync(tenant, CancellationToken.None);

        var writes = Argo.Requests.Skip(before).Where(r => r.Method != "GET").ToList();
        Assert.Empty(writes);
        Assert.Equal("0", again.Outputs!["changed"]);
        Assert.Equal("Healthy/Synced", again.Outputs["module.orders"]);
        Assert.Single(_bed.Remote.Commits());
    }

    [Fact]
    public async Task Should_update_a_drifted_application_and_delete_one_no_longer_enabled()
    {
        var tenant = TestTenants.New("crm", "orders");
        var driver = _bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        var drifted = TenantServiceManifests.Application(tenant, "crm", new ArgoCdOptions { Project = GitOpsTestBed.Project }, new GitOpsRepositoryOptions { RepositoryUrl = _bed.RepositoryUrl, Branch = "release" });
        await PostAsync(drifted, upsert: true);

        var outcome = await driver.ApplyAsync(tenant.WithModules("crm"), CancellationToken.None);

        Assert.Equal([$"{tenant.Namespace}-crm"], Argo.ApplicationsLabelled("bacbos.io/tenant-id", tenant.TenantId.ToString("D")));
        Assert.Equal(GitOpsTestBed.Branch, Argo.Applications[$"{tenant.Namespace}-crm"]["spec"]!["source"]!["targetRevision"]!.GetValue<string>());
        Assert.Equal("3", outcome.Outputs!["changed"]); // orders folder removed, crm application restored, orders application deleted
    }

    [Fact]
    public async Task Should_fail_transiently_while_an_application_never_becomes_healthy_and_succeed_once_it_does()
    {
        Argo.NeverHealthy = true;
        var tenant = TestTenants.New("crm");
        var driver = _bed.Driver(_bed.Configuration(healthTimeout: TimeSpan.FromMilliseconds(600)));

        var error = await Assert.ThrowsAsync<ArgoCdNotReadyException>(() => driver.ApplyAsync(tenant, CancellationToken.None));

        Assert.IsNotType<PermanentStepException>(error);
        Assert.Contains($"{tenant.Namespace}-crm Progressing/Synced", error.Message, StringComparison.Ordinal);
        Assert.Contains("Waiting for rollout to finish", error.Message, StringComparison.Ordinal);

        Argo.NeverHealthy = false; // the rollout finishes; the redelivered step checks again
        var outcome = await driver.ApplyAsync(tenant, CancellationToken.None);

        Assert.Equal("Healthy/Synced", outcome.Outputs!["module.crm"]);
        Assert.Single(_bed.Remote.Commits());
    }

    [Fact]
    public async Task Should_fail_permanently_with_a_wrong_token_and_never_show_it()
    {
        var settings = new Dictionary<string, string?>(_bed.Configuration()) { ["Drivers:ArgoCd:Token"] = "not-the-token-42" };

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => _bed.Driver(settings).ApplyAsync(TestTenants.New("crm"), CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid session", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token-42", error.Message, StringComparison.Ordinal);
        Assert.Empty(Argo.Applications);
    }

    [Fact]
    public async Task Should_fail_permanently_when_the_project_does_not_permit_the_destination()
    {
        var settings = new Dictionary<string, string?>(_bed.Configuration()) { ["Drivers:ArgoCd:DestinationServer"] = "https://other-cluster:6443" };

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => _bed.Driver(settings).ApplyAsync(TestTenants.New("crm"), CancellationToken.None));

        Assert.Contains("do not match any of the allowed destinations in project 'tenants'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_delete_the_applications_and_then_the_folder_on_remove()
    {
        Argo.GetsUntilDeleted = 2; // finalizers still pruning for two reads
        var tenant = TestTenants.New("crm", "orders");
        var neighbour = TestTenants.New("Ikeja Motors", ["crm"]);
        var driver = _bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        await driver.ApplyAsync(neighbour, CancellationToken.None);

        var removed = await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None);

        _bed.AssertNothingLeftFor(tenant.TenantId);
        Assert.Equal([$"{neighbour.Namespace}-crm"], Argo.Applications.Keys);
        var deletes = Argo.Requests.Where(r => r.Method == "DELETE").ToList();
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, d => Assert.Equal("?cascade=true", d.Query));
        Assert.StartsWith("deleted 2 ArgoCD application(s); removed", removed, StringComparison.Ordinal);

        Assert.Equal("no deployments to remove", await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None));
    }

    [Fact]
    public async Task Should_remove_applications_even_when_the_folder_is_already_gone()
    {
        var tenant = TestTenants.New("crm");
        var driver = _bed.Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        await RemoveFolderOnlyAsync(tenant); // what a half-done earlier compensation leaves

        var removed = await driver.RemoveAsync(tenant.ForCompensation(), CancellationToken.None);

        Assert.Equal("deleted 1 ArgoCD application(s)", removed);
        _bed.AssertNothingLeftFor(tenant.TenantId);
    }

    private async Task PostAsync(JsonObject application, bool upsert)
    {
        using var http = new HttpClient { BaseAddress = Argo.Server };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Argo.Token);
        using var response = await http.PostAsync($"/api/v1/applications?upsert={(upsert ? "true" : "false")}", new StringContent(application.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Removes only the git folder, through a driver configured without ArgoCD.</summary>
    private Task<string> RemoveFolderOnlyAsync(TenantContext tenant) =>
        _bed.Driver(_bed.Configuration().Where(s => !s.Key.StartsWith("Drivers:ArgoCd", StringComparison.Ordinal)).ToDictionary())
            .RemoveAsync(tenant, CancellationToken.None);
}

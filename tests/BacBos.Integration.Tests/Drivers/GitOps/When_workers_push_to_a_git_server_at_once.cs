using BacBos.Consumers.Activation.Steps;
using Xunit.Abstractions;

namespace BacBos.Integration.Tests.Drivers.GitOps;

/// <summary>
/// Step 6 against a real git server (git http-backend over smart HTTP with basic auth): pushes authenticate, a push made
/// stale by another writer is rejected by the server and the driver fetches, re-applies its folder and pushes again,
/// and several workers (each with its own clone) committing different tenants at once all land.
/// </summary>
public sealed class When_workers_push_to_a_git_server_at_once(ITestOutputHelper output) : IAsyncLifetime
{
    private GitOpsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await GitOpsTestBed.StartAsync(http: true, argo: false);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Should_fetch_and_reapply_when_the_server_rejects_a_stale_push()
    {
        var driver = _bed.Driver();
        await driver.ApplyAsync(TestTenants.New("crm"), CancellationToken.None);
        var competing = string.Empty;
        _bed.Http!.BeforeNextPush = () => competing = _bed.Remote.CommitDirectly("README.md", "GitOps repository\n", "docs: readme");
        var tenant = TestTenants.New("Ikeja Motors", ["fleet"]);
        var pushesBefore = _bed.Http.Pushes;

        var outcome = await driver.ApplyAsync(tenant, CancellationToken.None);

        var commits = _bed.Remote.Commits();
        Assert.Equal(2, _bed.Http.Pushes - pushesBefore); // the stale push, then the re-applied one
        Assert.Equal(3, commits.Count);
        Assert.Equal(competing, commits[1].Sha); // ours sits on top of the other writer's commit
        Assert.Equal(commits[0].Sha, outcome.Outputs!["revision"]);
        Assert.Equal("GitOps repository\n", _bed.Remote.File("README.md"));
        Assert.Equal(2, _bed.Remote.FilesUnder($"tenants/{tenant.TenantId:D}/services").Count);
    }

    [Fact]
    public async Task Should_land_every_tenant_when_two_workers_push_concurrently()
    {
        var workers = new[] { _bed.Driver(), _bed.Driver() };
        var tenants = Enumerable.Range(0, 6).Select(i => TestTenants.New($"Shop {i}", ["crm", "orders"])).ToList();

        var outcomes = await Task.WhenAll(tenants.Select((t, i) => Task.Run(() => workers[i % 2].ApplyAsync(t, CancellationToken.None))));

        output.WriteLine($"{_bed.Http!.Pushes} pushes for {tenants.Count} commits");
        Assert.All(tenants, t => Assert.Equal(4, _bed.Remote.FilesUnder($"tenants/{t.TenantId:D}/services").Count));
        Assert.Equal(tenants.Count, _bed.Remote.Commits().Count);
        Assert.All(outcomes, o => Assert.Equal("2", o.Outputs!["changed"]));
        Assert.True(_bed.Http.Pushes >= tenants.Count);
    }

    [Fact]
    public async Task Should_fail_permanently_with_a_wrong_password_and_never_show_it()
    {
        var settings = new Dictionary<string, string?>(_bed.Configuration()) { ["Drivers:GitOps:Password"] = "wrong-password-123" };

        var error = await Assert.ThrowsAsync<PermanentStepException>(() => _bed.Driver(settings).ApplyAsync(TestTenants.New("crm"), CancellationToken.None));

        output.WriteLine(error.Message);
        Assert.True(_bed.Http!.RejectedLogins > 0);
        Assert.DoesNotContain("wrong-password-123", error.Message, StringComparison.Ordinal);
        Assert.Null(_bed.Remote.Tip());
    }
}

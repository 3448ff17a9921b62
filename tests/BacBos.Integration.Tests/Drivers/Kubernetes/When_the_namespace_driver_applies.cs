using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>Step 4 against the Kubernetes API double: what is created, what a repeat does, what goes over the wire.</summary>
public sealed class When_the_namespace_driver_applies(KubernetesApiFixture fixture) : IClassFixture<KubernetesApiFixture>
{
    private KubernetesApiDouble Api => fixture.Api;

    private INamespaceDriver Driver(string ingressNamespace = "platform-ingress") =>
        KubernetesDriverHost.Build(Api.Configuration(ingressNamespace)).GetRequiredService<INamespaceDriver>();

    [Fact]
    public async Task Should_create_exactly_the_namespace_and_its_seven_objects()
    {
        var tenant = TestTenants.Create(plan: "growth");
        var before = Api.Objects.Select(o => o.Uid).ToHashSet();

        var outcome = await Driver().ApplyAsync(tenant, CancellationToken.None);

        Assert.False(outcome.Skipped);
        Assert.Equal("8", outcome.Outputs!["changed"]);
        Assert.Equal(tenant.Namespace, outcome.Outputs["namespace"]);
        Assert.Equal("Active", Api.NamespacePhase(tenant.Namespace));
        var created = Api.Objects.Where(o => !before.Contains(o.Uid)).Select(o => $"{o.Resource.Kind}/{o.Name} in {o.Namespace ?? "(cluster)"}");
        var ns = tenant.Namespace;
        Assert.Equal(
            [
                $"LimitRange/tenant-defaults in {ns}", $"Namespace/{ns} in (cluster)", $"NetworkPolicy/allow-platform-gateway in {ns}",
                $"NetworkPolicy/default-deny-ingress in {ns}", $"ResourceQuota/tenant-quota in {ns}", $"Role/tenant-workload in {ns}",
                $"RoleBinding/tenant-workload in {ns}", $"ServiceAccount/tenant-workload in {ns}",
            ],
            created.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_label_the_namespace_with_tenant_plan_and_manager()
    {
        var tenant = TestTenants.Create(plan: "enterprise");

        await Driver().ApplyAsync(tenant, CancellationToken.None);

        var labels = Api.Get<V1Namespace>("namespaces", null, tenant.Namespace)!.Metadata.Labels;
        Assert.Equal(tenant.TenantId.ToString("D"), labels["bacbos.io/tenant-id"]);
        Assert.Equal("enterprise", labels["bacbos.io/plan"]);
        Assert.Equal("bacbos", labels["app.kubernetes.io/managed-by"]);
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public async Task Should_deny_all_ingress_except_from_the_configured_ingress_namespace()
    {
        var tenant = TestTenants.Create();

        await Driver("edge-gateway").ApplyAsync(tenant, CancellationToken.None);

        var deny = Api.Get<V1NetworkPolicy>("networkpolicies", tenant.Namespace, "default-deny-ingress")!;
        Assert.Empty(deny.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Empty(deny.Spec.PodSelector.MatchExpressions ?? []);
        Assert.Equal(["Ingress"], deny.Spec.PolicyTypes);
        Assert.Empty(deny.Spec.Ingress ?? []);

        var allow = Api.Get<V1NetworkPolicy>("networkpolicies", tenant.Namespace, "allow-platform-gateway")!;
        Assert.Equal(["Ingress"], allow.Spec.PolicyTypes);
        var peers = Assert.Single(allow.Spec.Ingress).FromProperty;
        var fromNamespace = Assert.Single(peers, p => p.NamespaceSelector is not null);
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "edge-gateway" }, fromNamespace.NamespaceSelector.MatchLabels);
        Assert.Null(fromNamespace.PodSelector);
        var sameNamespace = Assert.Single(peers, p => p.NamespaceSelector is null);
        Assert.NotNull(sameNamespace.PodSelector);
    }

    [Fact]
    public async Task Should_confine_rbac_to_the_namespace_without_escalation()
    {
        var tenant = TestTenants.Create();

        await Driver().ApplyAsync(tenant, CancellationToken.None);

        var role = Api.Get<V1Role>("roles", tenant.Namespace, "tenant-workload")!;
        Assert.NotEmpty(role.Rules);
        Assert.Empty(RbacRules.Violations(role));
        var binding = Api.Get<V1RoleBinding>("rolebindings", tenant.Namespace, "tenant-workload")!;
        Assert.Equal(("Role", "tenant-workload"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", "tenant-workload", tenant.Namespace), (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.False(Api.Get<V1ServiceAccount>("serviceaccounts", tenant.Namespace, "tenant-workload")!.AutomountServiceAccountToken);
        Assert.DoesNotContain(Api.Requests, r => r.Path.Contains("/clusterrole", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("starter", "2", "4Gi", "20")]
    [InlineData("growth", "8", "16Gi", "60")]
    [InlineData("enterprise", "32", "64Gi", "200")]
    public async Task Should_size_the_quota_by_plan(string plan, string cpu, string memory, string pods)
    {
        var tenant = TestTenants.Create(plan: plan);

        await Driver().ApplyAsync(tenant, CancellationToken.None);

        var hard = Api.Get<V1ResourceQuota>("resourcequotas", tenant.Namespace, "tenant-quota")!.Spec.Hard;
        Assert.Equal(cpu, hard["requests.cpu"].ToString());
        Assert.Equal(memory, hard["limits.memory"].ToString());
        Assert.Equal(pods, hard["pods"].ToString());
        var limits = Assert.Single(Api.Get<V1LimitRange>("limitranges", tenant.Namespace, "tenant-defaults")!.Spec.Limits);
        Assert.Equal("Container", limits.Type);
        Assert.Equal("500m", limits.DefaultProperty["cpu"].ToString());
    }

    [Fact]
    public async Task Should_use_server_side_apply_for_every_write()
    {
        var tenant = TestTenants.Create();
        Api.ClearRequests();

        await Driver().ApplyAsync(tenant, CancellationToken.None);

        var writes = Api.Requests.Where(r => r.Method != "GET" && r.Path.Contains(tenant.Namespace, StringComparison.Ordinal)).ToList();
        Assert.Equal(8, writes.Count);
        Assert.All(writes, w =>
        {
            Assert.Equal("PATCH", w.Method);
            Assert.StartsWith(KubernetesApiDouble.ApplyPatchContentType, w.ContentType, StringComparison.Ordinal);
            Assert.Contains("fieldManager=bacbos", w.Query, StringComparison.Ordinal);
            Assert.Contains("force=true", w.Query, StringComparison.Ordinal);
            Assert.Equal(201, w.Status);
        });
        Assert.Equal($"/api/v1/namespaces/{tenant.Namespace}", writes[0].Path);
    }

    [Fact]
    public async Task Should_change_nothing_when_repeated()
    {
        var tenant = TestTenants.Create();
        var driver = Driver();
        await driver.ApplyAsync(tenant, CancellationToken.None);
        var versions = Snapshot(tenant);
        Api.ClearRequests();

        var repeat = await driver.ApplyAsync(tenant, CancellationToken.None);

        Assert.Equal("0", repeat.Outputs!["changed"]);
        Assert.Contains("already up to date", repeat.Detail, StringComparison.Ordinal);
        Assert.Equal(versions, Snapshot(tenant));
        Assert.All(Api.Requests.Where(r => r.Method == "PATCH"), r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task Should_count_only_what_a_changed_plan_touches()
    {
        var tenantId = Guid.NewGuid();
        var driver = Driver();
        await driver.ApplyAsync(TestTenants.Create(plan: "starter", tenantId: tenantId), CancellationToken.None);

        var upgraded = await driver.ApplyAsync(TestTenants.Create(plan: "growth", tenantId: tenantId), CancellationToken.None);

        // Every object carries the plan label, so all eight change; the quota also changes size.
        Assert.Equal("8", upgraded.Outputs!["changed"]);
        Assert.Equal("8", Api.Get<V1ResourceQuota>("resourcequotas", $"tenant-{tenantId:N}", "tenant-quota")!.Spec.Hard["requests.cpu"].ToString());
        var again = await driver.ApplyAsync(TestTenants.Create(plan: "growth", tenantId: tenantId), CancellationToken.None);
        Assert.Equal("0", again.Outputs!["changed"]);
    }

    private Dictionary<string, long> Snapshot(TenantContext tenant) =>
        Api.Objects.Where(o => o.Namespace == tenant.Namespace || o.Name == tenant.Namespace)
            .ToDictionary(o => $"{o.Resource.Kind}/{o.Name}", o => o.ResourceVersion);
}

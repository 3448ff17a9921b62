using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Integration.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>
/// What steps 4 and 9 send to the cluster for one fixed tenant per industry preset (plus one without a domain),
/// compared with the golden files in <c>Golden/</c>, parsed back and validated, and accepted by the API double.
/// Regenerate after an intended change with
/// <c>BACBOS_UPDATE_GOLDEN=1 dotnet test tests/BacBos.Integration.Tests -c Release --filter "FullyQualifiedName~Golden"</c>
/// and review the diff.
/// </summary>
public sealed class Rendered_manifests_match_golden_files(KubernetesApiFixture fixture) : IClassFixture<KubernetesApiFixture>
{
    private const string IngressNamespace = "platform-ingress";

    private static readonly KubernetesOptions Cluster = new() { IngressNamespace = IngressNamespace };
    private static readonly DnsOptions Dns = new() { IngressTarget = "203.0.113.10", MailExchanger = "mx.bacbos.example", SpfInclude = "_spf.bacbos.example" };

    public static TheoryData<string> Cases() => new([.. IndustryPresets.Industries, "no-domain"]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_render_what_the_golden_file_records(string @case)
    {
        var yaml = Render(Tenant(@case));
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "BacBos.Integration.Tests", "Drivers", "Kubernetes", "Golden", $"{@case}.yaml");

        if (Environment.GetEnvironmentVariable("BACBOS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, yaml);
        }

        Assert.True(File.Exists(path), $"golden file {@case}.yaml is missing; create it with BACBOS_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), yaml);
        Assert.Equal(yaml, Render(Tenant(@case)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_parse_back_into_valid_objects(string @case)
    {
        var tenant = Tenant(@case);

        var objects = KubernetesYaml.LoadAllFromString(Render(tenant), ManifestValidator.TypeMap, strict: true);

        Assert.Equal(10, objects.Count);
        Assert.Empty(ManifestValidator.Validate(objects, tenant, IngressNamespace));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_be_accepted_by_the_api_server(string @case)
    {
        var tenant = Tenant(@case);
        var objects = KubernetesYaml.LoadAllFromString(Render(tenant), ManifestValidator.TypeMap, strict: true).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        using var api = new ClusterApi(new KubernetesOptions { Server = fixture.Api.Url.ToString(), Token = fixture.Api.Token });

        foreach (var item in objects)
        {
            _ = item is CustomResource custom ? await api.ApplyCustomAsync(custom, CancellationToken.None) : await api.ApplyAsync(item, CancellationToken.None);
        }

        Assert.Equal(objects.Count, fixture.Api.LeftoversFor(tenant.TenantId).Count);
    }

    [Fact]
    public void Should_flag_a_role_that_could_escalate()
    {
        var tenant = Tenant("retail");
        var objects = KubernetesYaml.LoadAllFromString(Render(tenant), ManifestValidator.TypeMap).ToList();
        var role = objects.OfType<V1Role>().Single();
        role.Rules.Add(new V1PolicyRule { ApiGroups = ["rbac.authorization.k8s.io"], Resources = ["rolebindings"], Verbs = ["create", "bind"] });

        var problems = ManifestValidator.Validate(objects, tenant, IngressNamespace);

        Assert.Contains(problems, p => p.Contains("verb 'bind'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("writes RBAC objects", StringComparison.Ordinal));
    }

    /// <summary>Steps 4 and 9 objects for the tenant as one multi-document YAML stream.</summary>
    public static string Render(TenantContext tenant)
    {
        var step4 = KubernetesNamespaceDriver.Objects(tenant, Cluster, new GitOpsOptions());
        var step9 = DnsTlsManifests.Build(tenant, TenantDnsPlanner.For(tenant, Dns, new PublicUrlOptions(), dkimTxt: null), new TlsOptions());
        var header = $"# Golden file: Kubernetes objects of steps 4 and 9 for a fixed {tenant.Input.Industry} tenant (plan {tenant.Plan}).\n" +
                     "# Regenerate: BACBOS_UPDATE_GOLDEN=1 dotnet test tests/BacBos.Integration.Tests -c Release --filter \"FullyQualifiedName~Golden\"\n";
        return (header + KubernetesYaml.SerializeAll(step4.Cast<object>().Concat(step9))).ReplaceLineEndings("\n");
    }

    /// <summary>
    /// A fixed tenant per case: id, name and domain from the case, plans cycling through the catalogue so every plan
    /// is covered; "no-domain" is a logistics tenant on the platform's subdomains.
    /// </summary>
    public static TenantContext Tenant(string @case)
    {
        var industries = IndustryPresets.Industries;
        var index = @case == "no-domain" ? industries.Count : industries.ToList().IndexOf(@case);
        var industry = @case == "no-domain" ? "logistics" : @case;
        IndustryPresets.TryGet(industry, out var preset);
        var input = new BusinessActivationInput(
            $"Golden {preset!.DisplayName}",
            "NG",
            "NGN",
            industry,
            ["email"],
            ["paystack"],
            Domain: @case == "no-domain" ? null : $"{industry.Replace('_', '-')}.example",
            Plan: Plans.Known[index % Plans.Known.Count]);
        var tenantId = new Guid($"601de000-0000-4000-8000-{index + 1:D12}");
        return new TenantContext(new Guid("601de000-0000-4000-8000-a00000000000"), tenantId, input, IndustryPresets.Merge(preset, null));
    }
}

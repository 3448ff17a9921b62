using System.Text.RegularExpressions;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Kubernetes;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using k8s;
using k8s.Models;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>
/// Checks a tenant's rendered objects (parsed back from YAML) for what the API server and the platform's security
/// rules require: valid names and labels, everything inside the tenant namespace, default-deny plus allow-from-ingress
/// network policies, namespaced RBAC without escalation, quota by plan, and DNS/TLS objects that agree.
/// </summary>
public static partial class ManifestValidator
{
    /// <summary>apiVersion/kind → model, for <see cref="KubernetesYaml.LoadAllFromString"/>.</summary>
    public static IDictionary<string, Type> TypeMap { get; } = new Dictionary<string, Type>
    {
        [$"{CustomResourceKind.DnsEndpoint.ApiVersion}/{CustomResourceKind.DnsEndpoint.Kind}"] = typeof(CustomResource),
        [$"{CustomResourceKind.Certificate.ApiVersion}/{CustomResourceKind.Certificate.Kind}"] = typeof(CustomResource),
    };

    public static IReadOnlyList<string> Validate(IReadOnlyList<object> objects, TenantContext tenant, string ingressNamespace)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        var items = objects.Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        foreach (var item in items)
        {
            var id = $"{item.Kind}/{item.Metadata?.Name}";
            Check(!string.IsNullOrEmpty(item.ApiVersion) && !string.IsNullOrEmpty(item.Kind), $"{id}: apiVersion and kind are required");
            var name = item.Metadata?.Name ?? string.Empty;
            Check(item is V1Namespace ? KubernetesNames.IsLabel(name) : KubernetesNames.IsSubdomain(name), $"{id}: invalid name");
            Check(item is V1Namespace || item.Metadata?.NamespaceProperty == tenant.Namespace, $"{id}: not in {tenant.Namespace}");
            var labels = item.Metadata?.Labels ?? new Dictionary<string, string>();
            Check(ValueOf(labels, "app.kubernetes.io/managed-by") == "bacbos", $"{id}: managed-by label");
            Check(ValueOf(labels, "bacbos.io/tenant-id") == tenant.TenantId.ToString("D"), $"{id}: tenant-id label");
            Check(ValueOf(labels, "bacbos.io/plan") == tenant.Plan, $"{id}: plan label");
            Check(labels.Values.All(KubernetesNames.IsLabelValue), $"{id}: invalid label value");
        }

        Check(items.OfType<V1Namespace>().Select(n => n.Metadata.Name).SequenceEqual([tenant.Namespace]), "exactly one Namespace, the tenant's");
        Check(items.All(i => i is not V1ClusterRole and not V1ClusterRoleBinding), "no cluster-scoped RBAC");
        CheckNetworkPolicies(items.OfType<V1NetworkPolicy>().ToList(), ingressNamespace, Check);
        CheckRbac(items, tenant, Check);
        var quota = items.OfType<V1ResourceQuota>().SingleOrDefault();
        var size = TenantManifests.SizeOf(tenant.Plan);
        Check(quota?.Spec.Hard["requests.cpu"].ToString() == size.Cpu && quota.Spec.Hard["limits.memory"].ToString() == size.Memory, "ResourceQuota sized by plan");
        Check(items.OfType<V1LimitRange>().Count() == 1, "one LimitRange");
        CheckDnsAndTls(items.OfType<CustomResource>().ToList(), Check);
        return problems;
    }

    private static void CheckNetworkPolicies(List<V1NetworkPolicy> policies, string ingressNamespace, Action<bool, string> check)
    {
        var deny = policies.SingleOrDefault(p => (p.Spec.Ingress ?? []).Count == 0);
        check(deny is not null && (deny.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>()).Count == 0 && deny.Spec.PolicyTypes.SequenceEqual(["Ingress"]),
            "a default-deny ingress policy selecting every pod");
        var allowedNamespaces = policies.SelectMany(p => p.Spec.Ingress ?? []).SelectMany(r => r.FromProperty ?? [])
            .Where(peer => peer.NamespaceSelector is not null)
            .Select(peer => ValueOf(peer.NamespaceSelector.MatchLabels, "kubernetes.io/metadata.name"))
            .ToList();
        check(allowedNamespaces.SequenceEqual([ingressNamespace]), $"ingress allowed from namespace {ingressNamespace} only (got {string.Join(",", allowedNamespaces)})");
    }

    private static void CheckRbac(List<IKubernetesObject<V1ObjectMeta>> items, TenantContext tenant, Action<bool, string> check)
    {
        foreach (var role in items.OfType<V1Role>())
        {
            check(RbacRules.Violations(role).Count == 0, $"Role/{role.Metadata.Name}: {string.Join("; ", RbacRules.Violations(role))}");
        }

        foreach (var binding in items.OfType<V1RoleBinding>())
        {
            check(binding.RoleRef.Kind == "Role" && items.OfType<V1Role>().Any(r => r.Metadata.Name == binding.RoleRef.Name), $"RoleBinding/{binding.Metadata.Name}: binds a Role of the namespace");
            check(binding.Subjects.All(s => s.Kind == "ServiceAccount" && s.NamespaceProperty == tenant.Namespace), $"RoleBinding/{binding.Metadata.Name}: only the namespace's service accounts");
        }
    }

    private static void CheckDnsAndTls(List<CustomResource> resources, Action<bool, string> check)
    {
        var endpoint = resources.SingleOrDefault(r => r.Kind == CustomResourceKind.DnsEndpoint.Kind);
        var certificate = resources.SingleOrDefault(r => r.Kind == CustomResourceKind.Certificate.Kind);
        check(endpoint is not null && certificate is not null, "one DNSEndpoint and one Certificate");
        if (endpoint is null || certificate is null)
        {
            return;
        }

        var records = ((IEnumerable<object>)endpoint.Spec["endpoints"]).Cast<IDictionary<object, object>>().ToList();
        check(records.Count > 0, "DNSEndpoint has endpoints");
        var webNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var name = (string)record["dnsName"];
            var type = (string)record["recordType"];
            check(name.Length <= 253 && Hostname().IsMatch(name), $"DNSEndpoint: invalid dnsName {name}");
            check(type is "A" or "AAAA" or "CNAME" or "MX" or "TXT", $"DNSEndpoint: record type {type}");
            check(((IEnumerable<object>)record["targets"]).Any(), $"DNSEndpoint: {name} has targets");
            check(Convert.ToInt64(record["recordTTL"], System.Globalization.CultureInfo.InvariantCulture) > 0, $"DNSEndpoint: {name} TTL");
            if (type is "A" or "AAAA" or "CNAME")
            {
                webNames.Add(name);
            }
        }

        var dnsNames = ((IEnumerable<object>)certificate.Spec["dnsNames"]).Cast<string>().ToList();
        check(dnsNames.Count > 0 && dnsNames.All(webNames.Contains), "Certificate covers only hosts that have records");
        var issuer = (IDictionary<object, object>)certificate.Spec["issuerRef"];
        check((string)issuer["kind"] == "ClusterIssuer" && !string.IsNullOrEmpty((string)issuer["name"]), "Certificate issued by a ClusterIssuer");
        check(certificate.Spec.ContainsKey("secretName"), "Certificate names its secret");
    }

    private static string? ValueOf(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var value) ? value : null;

    [GeneratedRegex(@"^(_?[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.(_?[a-z0-9]([-a-z0-9]*[a-z0-9])?))*$")]
    private static partial Regex Hostname();
}

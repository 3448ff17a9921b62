using BacBos.Consumers.Activation.Steps;
using k8s;
using k8s.Models;

namespace BacBos.Consumers.Activation.Drivers;

/// <summary>
/// Renders a tenant's Kubernetes objects with KubernetesClient's own models (the same objects a server-side-apply
/// driver sends): Namespace, default-deny and allow-from-gateway NetworkPolicies, a namespaced ServiceAccount + Role
/// + RoleBinding (no cluster-wide rights, no rights on the namespace itself), ResourceQuota and LimitRange by plan.
/// </summary>
public static class TenantManifests
{
    public sealed record PlanSize(string Cpu, string Memory, int Pods, int Replicas);

    public static PlanSize SizeOf(string plan) => plan switch
    {
        "enterprise" => new PlanSize("32", "64Gi", 200, 3),
        "growth" => new PlanSize("8", "16Gi", 60, 2),
        _ => new PlanSize("2", "4Gi", 20, 1),
    };

    public static IDictionary<string, string> Labels(TenantContext t) => new Dictionary<string, string>
    {
        ["app.kubernetes.io/managed-by"] = "bacbos",
        ["bacbos.io/tenant-id"] = t.TenantId.ToString("D"),
        ["bacbos.io/plan"] = t.Plan,
        ["bacbos.io/industry"] = t.Input.Industry ?? "unknown",
    };

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Infrastructure(TenantContext t, GitOpsOptions options)
    {
        var ns = t.Namespace;
        var size = SizeOf(t.Plan);
        V1ObjectMeta Meta(string name) => new() { Name = name, NamespaceProperty = ns, Labels = Labels(t) };
        var nsLabels = new Dictionary<string, string>(Labels(t))
        {
            ["pod-security.kubernetes.io/enforce"] = "restricted",
        };

        return
        [
            new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = ns, Labels = nsLabels } },
            new V1NetworkPolicy
            {
                ApiVersion = "networking.k8s.io/v1",
                Kind = "NetworkPolicy",
                Metadata = Meta("default-deny-ingress"),
                Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress"] },
            },
            new V1NetworkPolicy
            {
                ApiVersion = "networking.k8s.io/v1",
                Kind = "NetworkPolicy",
                Metadata = Meta("allow-platform-gateway"),
                Spec = new V1NetworkPolicySpec
                {
                    PodSelector = new V1LabelSelector(),
                    PolicyTypes = ["Ingress"],
                    Ingress =
                    [
                        new V1NetworkPolicyIngressRule
                        {
                            FromProperty =
                            [
                                new V1NetworkPolicyPeer
                                {
                                    NamespaceSelector = new V1LabelSelector
                                    {
                                        MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = options.GatewayNamespace },
                                    },
                                },
                                new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() },
                            ],
                        },
                    ],
                },
            },
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta("tenant-workload"), AutomountServiceAccountToken = false },
            new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = Meta("tenant-workload"),
                Rules =
                [
                    new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps", "services", "pods", "endpoints"], Verbs = ["get", "list", "watch"] },
                    new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get"] },
                ],
            },
            new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = Meta("tenant-workload"),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "tenant-workload" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "tenant-workload", NamespaceProperty = ns }],
            },
            new V1ResourceQuota
            {
                ApiVersion = "v1",
                Kind = "ResourceQuota",
                Metadata = Meta("tenant-quota"),
                Spec = new V1ResourceQuotaSpec
                {
                    Hard = new Dictionary<string, ResourceQuantity>
                    {
                        ["requests.cpu"] = new(size.Cpu),
                        ["requests.memory"] = new(size.Memory),
                        ["limits.cpu"] = new(size.Cpu),
                        ["limits.memory"] = new(size.Memory),
                        ["pods"] = new(size.Pods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    },
                },
            },
            new V1LimitRange
            {
                ApiVersion = "v1",
                Kind = "LimitRange",
                Metadata = Meta("tenant-defaults"),
                Spec = new V1LimitRangeSpec
                {
                    Limits =
                    [
                        new V1LimitRangeItem
                        {
                            Type = "Container",
                            DefaultRequest = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
                            DefaultProperty = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("512Mi") },
                        },
                    ],
                },
            },
        ];
    }

    /// <summary>File name for an object: <c>{kind}-{name}.yaml</c> in lower case.</summary>
    public static string FileName(IKubernetesObject<V1ObjectMeta> o) => $"{o.Kind.ToLowerInvariant()}-{o.Metadata.Name}.yaml";

    public static string ToYaml(object o) => KubernetesYaml.Serialize(o);

    /// <summary>Helm values for one module of the tenant.</summary>
    public static string ModuleValues(TenantContext t, string module)
    {
        var size = SizeOf(t.Plan);
        return $"""
            # Rendered by BacBos for tenant {t.TenantId:D}; do not edit by hand.
            tenant:
              id: "{t.TenantId:D}"
              slug: "{t.Slug}"
              plan: "{t.Plan}"
              region: "{t.Input.Region}"
              currency: "{t.Input.Currency}"
            module: "{module}"
            namespace: "{t.Namespace}"
            replicaCount: {size.Replicas}
            serviceAccountName: tenant-workload
            image:
              repository: "bacbos/{module.Replace('_', '-')}"
              tag: "stable"
            resources:
              requests: {"{"} cpu: 100m, memory: 128Mi {"}"}
              limits: {"{"} cpu: 500m, memory: 512Mi {"}"}
            podSecurityContext:
              runAsNonRoot: true
              seccompProfile: {"{"} type: RuntimeDefault {"}"}

            """;
    }

    /// <summary>The ArgoCD Application that deploys one module's chart with the tenant's values.</summary>
    public static string ModuleApplication(TenantContext t, string module, GitOpsOptions options) =>
        ToYaml(new Dictionary<string, object>
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new Dictionary<string, object>
            {
                ["name"] = $"{t.Namespace}-{module.Replace('_', '-')}",
                ["namespace"] = "argocd",
                ["labels"] = Labels(t),
            },
            ["spec"] = new Dictionary<string, object>
            {
                ["project"] = "tenants",
                ["source"] = new Dictionary<string, object>
                {
                    ["repoURL"] = options.ChartRepository,
                    ["chart"] = module.Replace('_', '-'),
                    ["targetRevision"] = "*",
                    ["helm"] = new Dictionary<string, object> { ["valueFiles"] = new[] { $"tenants/{t.TenantId:D}/services/{module}/values.yaml" } },
                },
                ["destination"] = new Dictionary<string, object> { ["server"] = "https://kubernetes.default.svc", ["namespace"] = t.Namespace },
                ["syncPolicy"] = new Dictionary<string, object>
                {
                    ["automated"] = new Dictionary<string, object> { ["prune"] = true, ["selfHeal"] = true },
                },
            },
        });
}

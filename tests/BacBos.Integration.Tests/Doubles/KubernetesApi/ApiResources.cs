namespace BacBos.Integration.Tests.Doubles.KubernetesApi;

/// <summary>One resource type the double serves (what API discovery would list).</summary>
public sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced, bool ForbiddenToTenantDrivers = false)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>How the API server names the resource in messages: <c>plural</c> for the core group, else <c>plural.group</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}

/// <summary>
/// The resource types the tenant drivers use, plus the cluster-scoped RBAC kinds the double refuses (403) so that a
/// driver trying to grant itself cluster-wide rights fails loudly. Anything else answers 404, as a cluster without
/// that API (or CRD) does.
/// </summary>
public static class ApiResources
{
    public const string Rbac = "rbac.authorization.k8s.io";

    public static IReadOnlyList<ApiResource> All { get; } =
    [
        new("", "v1", "namespaces", "Namespace", Namespaced: false),
        new("", "v1", "serviceaccounts", "ServiceAccount", Namespaced: true),
        new("", "v1", "resourcequotas", "ResourceQuota", Namespaced: true),
        new("", "v1", "limitranges", "LimitRange", Namespaced: true),
        new("", "v1", "secrets", "Secret", Namespaced: true),
        new("", "v1", "configmaps", "ConfigMap", Namespaced: true),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", Namespaced: true),
        new(Rbac, "v1", "roles", "Role", Namespaced: true),
        new(Rbac, "v1", "rolebindings", "RoleBinding", Namespaced: true),
        new(Rbac, "v1", "clusterroles", "ClusterRole", Namespaced: false, ForbiddenToTenantDrivers: true),
        new(Rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", Namespaced: false, ForbiddenToTenantDrivers: true),
        new("externaldns.k8s.io", "v1alpha1", "dnsendpoints", "DNSEndpoint", Namespaced: true),
        new("cert-manager.io", "v1", "certificates", "Certificate", Namespaced: true),
    ];

    public static ApiResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public static ApiResource ByPlural(string plural) =>
        All.FirstOrDefault(r => r.Plural == plural) ?? throw new ArgumentException($"unknown resource {plural}", nameof(plural));
}

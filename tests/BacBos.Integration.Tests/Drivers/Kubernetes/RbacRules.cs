using k8s.Models;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>
/// What a tenant's Role must never grant: verbs that escalate (<c>escalate</c>, <c>bind</c>, <c>impersonate</c>),
/// wildcards, any write on RBAC objects, any right on the namespace object itself, or on cluster-scoped resources.
/// </summary>
public static class RbacRules
{
    private static readonly string[] EscalatingVerbs = ["escalate", "bind", "impersonate", "*"];
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];
    private static readonly string[] ClusterScoped =
    [
        "namespaces", "nodes", "persistentvolumes", "clusterroles", "clusterrolebindings", "customresourcedefinitions",
        "storageclasses", "priorityclasses", "mutatingwebhookconfigurations", "validatingwebhookconfigurations",
        "certificatesigningrequests", "apiservices",
    ];

    public static IReadOnlyList<string> Violations(V1Role role)
    {
        var problems = new List<string>();
        foreach (var (rule, i) in (role.Rules ?? []).Select((r, i) => (r, i)))
        {
            var verbs = rule.Verbs ?? [];
            var resources = rule.Resources ?? [];
            var groups = rule.ApiGroups ?? [];
            problems.AddRange(verbs.Intersect(EscalatingVerbs).Select(v => $"rule {i}: verb '{v}'"));
            problems.AddRange(resources.Where(r => r.Contains('*', StringComparison.Ordinal)).Select(r => $"rule {i}: resource wildcard '{r}'"));
            problems.AddRange(groups.Where(g => g == "*").Select(_ => $"rule {i}: apiGroup wildcard"));
            problems.AddRange(resources.Intersect(ClusterScoped).Select(r => $"rule {i}: cluster-scoped resource '{r}'"));
            if (groups.Contains("rbac.authorization.k8s.io") && verbs.Except(ReadVerbs).Any())
            {
                problems.Add($"rule {i}: writes RBAC objects");
            }

            if ((rule.NonResourceURLs ?? []).Count > 0)
            {
                problems.Add($"rule {i}: non-resource URLs (cluster-wide only)");
            }
        }

        return problems;
    }
}

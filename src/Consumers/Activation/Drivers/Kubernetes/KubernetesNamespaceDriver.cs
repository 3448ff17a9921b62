using System.Diagnostics;
using System.Globalization;
using BacBos.Consumers.Activation.Steps;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// Step 4 on a real cluster: server-side applies the objects <see cref="TenantManifests.Infrastructure"/> renders
/// (namespace <c>tenant-{id:N}</c>, default-deny and allow-from-ingress NetworkPolicies, ServiceAccount + Role +
/// RoleBinding confined to the namespace, ResourceQuota and LimitRange by plan). Applying the same objects again
/// changes nothing on the server, so a repeat reports <c>changed=0</c>. Compensation deletes the namespace and waits
/// (bounded) until the API server has removed it with everything inside.
/// </summary>
public sealed class KubernetesNamespaceDriver(
    ClusterApi cluster,
    KubernetesOptions options,
    GitOpsOptions gitOps,
    ILogger<KubernetesNamespaceDriver> logger) : INamespaceDriver
{
    public string Name => "kubernetes";

    /// <summary>The objects applied for a tenant: the shared manifest models, with this cluster's ingress namespace.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects(TenantContext tenant, KubernetesOptions options, GitOpsOptions gitOps) =>
        TenantManifests.Infrastructure(tenant, new GitOpsOptions
        {
            Directory = gitOps.Directory,
            ChartRepository = gitOps.ChartRepository,
            GatewayNamespace = string.IsNullOrWhiteSpace(options.IngressNamespace) ? gitOps.GatewayNamespace : options.IngressNamespace,
        });

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var objects = Objects(tenant, options, gitOps);
        var changed = 0;
        foreach (var item in objects)
        {
            var applied = await cluster.ApplyAsync(item, cancellationToken);
            if (item is V1Namespace && IsTerminating(applied))
            {
                throw new TransientKubernetesException(
                    $"namespace {tenant.Namespace} is still being deleted (an earlier compensation); it can be provisioned again once it is gone");
            }

            changed += applied.Changed ? 1 : 0;
        }

        logger.LogInformation("Applied {Count} object(s) to namespace {Namespace} ({Changed} changed)", objects.Count, tenant.Namespace, changed);
        return StepOutcome.Done(
            changed == 0
                ? $"namespace {tenant.Namespace} already up to date ({objects.Count} object(s))"
                : $"applied {objects.Count} object(s) to namespace {tenant.Namespace} by server-side apply ({changed} changed)",
            new Dictionary<string, string>
            {
                ["namespace"] = tenant.Namespace,
                ["objects"] = string.Join(",", objects.Select(o => $"{o.Kind}/{o.Metadata.Name}")),
                ["changed"] = changed.ToString(CultureInfo.InvariantCulture),
            });
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var ns = tenant.Namespace;
        if (!await cluster.DeleteNamespaceAsync(ns, cancellationToken))
        {
            return $"namespace {ns} did not exist";
        }

        var waited = Stopwatch.StartNew();
        while (await cluster.ReadNamespaceAsync(ns, cancellationToken) is not null)
        {
            if (waited.Elapsed >= options.NamespaceDeletionTimeout)
            {
                throw new TransientKubernetesException(
                    $"namespace {ns} is still terminating after {options.NamespaceDeletionTimeout.TotalSeconds:0.#} s; compensation will check again");
            }

            await Task.Delay(options.PollInterval, cancellationToken);
        }

        logger.LogInformation("Namespace {Namespace} deleted after {Elapsed} ms", ns, waited.ElapsedMilliseconds);
        return $"deleted namespace {ns} and everything in it";
    }

    private static bool IsTerminating(AppliedObject applied) =>
        applied.Body.TryGetProperty("status", out var status)
        && status.TryGetProperty("phase", out var phase)
        && phase.GetString() == "Terminating";
}

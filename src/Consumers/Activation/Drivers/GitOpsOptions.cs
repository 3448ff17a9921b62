namespace BacBos.Consumers.Activation.Drivers;

/// <summary>Configuration section <c>Drivers:GitOps</c>: where rendered tenant manifests are written.</summary>
public sealed class GitOpsOptions
{
    public const string Section = "Drivers:GitOps";

    /// <summary>Folder of the local GitOps tree (<c>tenants/{tenant-id}/…</c>).</summary>
    public string Directory { get; set; } = "./data/gitops";

    /// <summary>Chart repository the rendered ArgoCD Applications point at.</summary>
    public string ChartRepository { get; set; } = "oci://registry.bacbos.local/charts";

    /// <summary>Namespace of the platform's ingress/gateway, allowed through each tenant's network policy.</summary>
    public string GatewayNamespace { get; set; } = "bacbos-system";
}

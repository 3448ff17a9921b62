namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// Configuration section <c>Drivers:Kubernetes</c>: the cluster that hosts tenant namespaces. Setting
/// <see cref="Server"/> (with <see cref="Token"/>) or <see cref="KubeconfigPath"/> replaces the local GitOps-folder
/// driver of step 4 with server-side apply against this cluster.
/// </summary>
public sealed class KubernetesOptions
{
    public const string Section = "Drivers:Kubernetes";

    /// <summary>API server URL, e.g. <c>https://10.0.0.1:6443</c>.</summary>
    public string? Server { get; set; }

    /// <summary>Bearer token of the platform's service account (never logged, never shown in step outputs).</summary>
    public string? Token { get; set; }

    /// <summary>CA bundle of the API server: PEM text or the path of a PEM file.</summary>
    public string? CaCertificate { get; set; }

    /// <summary>Accept any server certificate (development clusters only).</summary>
    public bool SkipTlsVerify { get; set; }

    /// <summary>A kubeconfig file to use instead of <see cref="Server"/>/<see cref="Token"/> (its current context).</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>
    /// Namespace of the platform's ingress/gateway, the only other namespace allowed into a tenant namespace by its
    /// network policy. Empty: <see cref="GitOpsOptions.GatewayNamespace"/>.
    /// </summary>
    public string? IngressNamespace { get; set; }

    /// <summary>Field manager of every server-side apply (who owns the applied fields).</summary>
    public string FieldManager { get; set; } = "bacbos";

    /// <summary>How long compensation waits for a deleted namespace to disappear before it reports a transient failure.</summary>
    public TimeSpan NamespaceDeletionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between two checks while waiting for the namespace to disappear.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Timeout of one API request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>True when a cluster is configured (the section alone does not switch the driver on).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Server) || !string.IsNullOrWhiteSpace(KubeconfigPath);

    /// <summary>Rejects an incomplete configuration at start-up rather than at the first activation.</summary>
    public void Validate()
    {
        if (NamespaceDeletionTimeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}: NamespaceDeletionTimeout, PollInterval and RequestTimeout must be positive");
        }

        if (!string.IsNullOrWhiteSpace(KubeconfigPath))
        {
            if (!File.Exists(KubeconfigPath))
            {
                throw new InvalidOperationException($"{Section}:KubeconfigPath: file not found");
            }

            return;
        }

        if (!Uri.TryCreate(Server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{Section}:Server must be an http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(Token))
        {
            throw new InvalidOperationException($"{Section}:Token is required with {Section}:Server (or set {Section}:KubeconfigPath)");
        }
    }
}

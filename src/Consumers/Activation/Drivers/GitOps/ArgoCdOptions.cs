namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// Configuration section <c>Drivers:ArgoCd</c>: the ArgoCD API server that step 6 creates, syncs and watches one
/// Application per module on. Only used together with a GitOps repository (<c>Drivers:GitOps:RepositoryUrl</c>).
/// </summary>
public sealed class ArgoCdOptions
{
    public const string Section = "Drivers:ArgoCd";

    /// <summary>Base address of the API server, e.g. <c>https://argocd.example.com</c>.</summary>
    public string? Server { get; set; }

    /// <summary>Bearer token (an ArgoCD account or project token). Never logged or shown in step outputs.</summary>
    public string? Token { get; set; }

    /// <summary>The AppProject the tenants' Applications belong to (it restricts their source repos and destinations).</summary>
    public string Project { get; set; } = "tenants";

    /// <summary>Namespace the Application resources live in (ArgoCD's own namespace).</summary>
    public string ApplicationNamespace { get; set; } = "argocd";

    /// <summary>Cluster the modules deploy to.</summary>
    public string DestinationServer { get; set; } = "https://kubernetes.default.svc";

    /// <summary>How long one step attempt waits for Healthy/Synced before failing transiently (scheduled redelivery re-checks).</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between two status polls while waiting.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound for one API call.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Accept any TLS certificate of the server (self-signed test installations only).</summary>
    public bool InsecureSkipVerify { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Server);
}

namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// The repository keys of configuration section <c>Drivers:GitOps</c> (the same section as <see cref="GitOpsOptions"/>,
/// which keeps the local-folder settings): when <see cref="RepositoryUrl"/> is set, step 6 commits each tenant's Helm
/// values to that git repository instead of the local folder.
/// </summary>
public sealed class GitOpsRepositoryOptions
{
    public const string Section = GitOpsOptions.Section;

    /// <summary>Remote the tenants' folders are pushed to (https, ssh or a local path); what ArgoCD's Applications point at.</summary>
    public string? RepositoryUrl { get; set; }

    public string Branch { get; set; } = "main";

    public string AuthorName { get; set; } = "BacBos";

    public string AuthorEmail { get; set; } = "bacbos@bacbos.local";

    /// <summary>HTTP(S) basic-auth user (with <see cref="Password"/>, e.g. a token); unset for anonymous or local remotes.</summary>
    public string? Username { get; set; }

    /// <summary>Password or access token for <see cref="Username"/>. Never logged or shown in step outputs.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The worker's private clone (bare, a cache that can be deleted at any time). Default:
    /// <c>{Database:DataDirectory}/gitops-clones/{hash of the URL}</c>. One per replica: replicas must not share it.
    /// </summary>
    public string? WorkDirectory { get; set; }

    /// <summary>Fetch-rebase-push rounds when another writer moved the branch (non-fast-forward) before giving up (transient).</summary>
    public int PushAttempts { get; set; } = 5;

    /// <summary>Version constraint of the module charts the rendered umbrella chart depends on.</summary>
    public string ChartVersion { get; set; } = ">=0.1.0";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(RepositoryUrl);
}

using System.Text;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// What step 6 puts in the GitOps repository and in ArgoCD for one module: under
/// <c>tenants/{tenant-id}/services/{module}/</c> a small umbrella Helm chart (<c>Chart.yaml</c> depending on the module's
/// chart) and its <c>values.yaml</c> (the tenant's <see cref="TenantManifests.ModuleValues"/>, nested under the
/// dependency's name as Helm requires), and an ArgoCD Application whose source is that folder on the branch.
/// </summary>
public static class TenantServiceManifests
{
    public const string ModuleLabel = "bacbos.io/module";

    /// <summary>The tenant's folder of services in the repository (the tenant id, not the slug: ids never collide).</summary>
    public static string Folder(TenantContext tenant) => $"tenants/{tenant.TenantId:D}/services";

    public static string ModuleFolder(TenantContext tenant, string module) => $"{Folder(tenant)}/{module}";

    /// <summary>Chart names allow no underscores.</summary>
    public static string ChartName(string module) => module.Replace('_', '-');

    public static string ApplicationName(TenantContext tenant, string module) => $"{tenant.Namespace}-{ChartName(module)}";

    /// <summary>Label selector matching every Application of the tenant.</summary>
    public static string TenantSelector(Guid tenantId) => $"bacbos.io/tenant-id={tenantId:D}";

    /// <summary>Files of every module, keyed <c>{module}/{file}</c> relative to <see cref="Folder"/>.</summary>
    public static IReadOnlyDictionary<string, string> Files(TenantContext tenant, IEnumerable<string> modules, GitOpsOptions folder, GitOpsRepositoryOptions repository)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            files[$"{module}/Chart.yaml"] = Chart(tenant, module, folder, repository);
            files[$"{module}/values.yaml"] = Values(tenant, module);
        }

        return files;
    }

    public static string Chart(TenantContext tenant, string module, GitOpsOptions folder, GitOpsRepositoryOptions repository) =>
        $"""
        # Rendered by BacBos for tenant {tenant.TenantId:D}; do not edit by hand.
        apiVersion: v2
        name: {ApplicationName(tenant, module)}
        description: "{ChartName(module)} for tenant {tenant.Slug}"
        type: application
        version: 1.0.0
        dependencies:
          - name: {ChartName(module)}
            version: "{repository.ChartVersion}"
            repository: "{folder.ChartRepository}"

        """;

    /// <summary>The module's values nested under the dependency's name, so Helm hands them to the module chart.</summary>
    public static string Values(TenantContext tenant, string module)
    {
        var sb = new StringBuilder();
        sb.Append("# Rendered by BacBos for tenant ").Append(tenant.TenantId.ToString("D")).Append("; do not edit by hand.\n");
        sb.Append(ChartName(module)).Append(":\n");
        foreach (var line in TenantManifests.ModuleValues(tenant, module).Split('\n'))
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                sb.Append("  ").Append(line).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The Application created through ArgoCD's API (<c>POST /api/v1/applications?upsert=true</c>).</summary>
    public static JsonObject Application(TenantContext tenant, string module, ArgoCdOptions argo, GitOpsRepositoryOptions repository)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in TenantManifests.Labels(tenant))
        {
            labels[key] = value;
        }

        labels[ModuleLabel] = module;
        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject
            {
                ["name"] = ApplicationName(tenant, module),
                ["namespace"] = argo.ApplicationNamespace,
                ["labels"] = labels,
            },
            ["spec"] = new JsonObject
            {
                ["project"] = argo.Project,
                ["source"] = new JsonObject
                {
                    ["repoURL"] = WithoutUserInfo(repository.RepositoryUrl!),
                    ["path"] = ModuleFolder(tenant, module),
                    ["targetRevision"] = repository.Branch,
                    ["helm"] = new JsonObject { ["valueFiles"] = new JsonArray("values.yaml") },
                },
                ["destination"] = new JsonObject { ["server"] = argo.DestinationServer, ["namespace"] = tenant.Namespace },
                ["syncPolicy"] = new JsonObject
                {
                    ["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true },
                },
            },
        };
    }

    /// <summary>A repository URL without <c>user:password@</c> (credentials belong in configuration, never in an Application or output).</summary>
    public static string WithoutUserInfo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString()
            : url;
}

using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers;

/// <summary>Embedded default for step 4: renders the tenant's infrastructure manifests into the local GitOps folder.</summary>
public sealed class GitOpsFolderNamespaceDriver(GitOpsFolder folder, GitOpsOptions options) : INamespaceDriver
{
    private const string Area = "infrastructure";

    public string Name => "gitops-folder";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var files = TenantManifests.Infrastructure(tenant, options).ToDictionary(TenantManifests.FileName, TenantManifests.ToYaml);
        var changed = await folder.WriteAreaAsync(tenant, Area, files, cancellationToken);
        return StepOutcome.Done(
            changed.Count == 0 ? "manifests already rendered" : $"rendered {changed.Count} manifest(s); not applied to a cluster (Drivers:Kubernetes not configured)",
            new Dictionary<string, string>
            {
                ["namespace"] = tenant.Namespace,
                ["manifests"] = GitOpsFolder.RelativeAreaPath(tenant, Area),
                ["changed"] = changed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
    }

    public Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken) =>
        Task.FromResult(folder.RemoveArea(tenant, Area) ? $"removed {GitOpsFolder.RelativeAreaPath(tenant, Area)}" : "no manifests to remove");
}

/// <summary>Embedded default for step 6: per-module Helm values and ArgoCD Applications in the local GitOps folder.</summary>
public sealed class GitOpsFolderServiceDeploymentDriver(GitOpsFolder folder, GitOpsOptions options) : IServiceDeploymentDriver
{
    private const string Area = "services";

    public string Name => "gitops-folder";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, string>();
        foreach (var module in tenant.Modules)
        {
            files[Path.Combine(module, "values.yaml")] = TenantManifests.ModuleValues(tenant, module);
            files[Path.Combine(module, "application.yaml")] = TenantManifests.ModuleApplication(tenant, module, options);
        }

        var changed = await folder.WriteAreaAsync(tenant, Area, files, cancellationToken);
        var outputs = tenant.Modules.ToDictionary(m => $"module.{m}", _ => "rendered");
        outputs["path"] = GitOpsFolder.RelativeAreaPath(tenant, Area);
        return StepOutcome.Done(
            $"{tenant.Modules.Count} module(s) rendered for GitOps ({changed.Count} file(s) changed); no ArgoCD sync (Drivers:ArgoCd not configured)",
            outputs);
    }

    public Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken) =>
        Task.FromResult(folder.RemoveArea(tenant, Area) ? $"removed {GitOpsFolder.RelativeAreaPath(tenant, Area)}" : "no deployments to remove");
}

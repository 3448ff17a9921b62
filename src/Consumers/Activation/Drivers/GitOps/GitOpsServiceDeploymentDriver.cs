using System.Globalization;
using BacBos.Consumers.Activation.Steps;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// Step 6 against a real GitOps repository: commits the tenant's per-module Helm values (one commit, only when
/// something changed), then, with ArgoCD configured, creates or refreshes one Application per module, starts a sync
/// where needed and waits (bounded by <see cref="ArgoCdOptions.HealthTimeout"/>) until every one is Healthy and Synced;
/// otherwise it fails transiently and scheduled redelivery checks again. Compensation deletes the Applications
/// (cascade) and then removes the tenant's folder in a new commit.
/// </summary>
public sealed class GitOpsServiceDeploymentDriver(
    GitOpsRepository repository,
    GitOpsOptions folderOptions,
    GitOpsRepositoryOptions repositoryOptions,
    ArgoCdOptions argoOptions,
    ILogger<GitOpsServiceDeploymentDriver> logger,
    ArgoCdClient? argo = null) : IServiceDeploymentDriver
{
    public string Name => argo is null ? "gitops" : "gitops-argocd";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var modules = tenant.Modules.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var folder = TenantServiceManifests.Folder(tenant);
        var commit = await repository.ReplaceFolderAsync(
            folder,
            TenantServiceManifests.Files(tenant, modules, folderOptions, repositoryOptions),
            $"bacbos: deploy services of tenant {tenant.TenantId:D} ({tenant.Slug})\n\nModules: {string.Join(", ", modules)}",
            cancellationToken);
        var changedModules = commit.ChangedPaths.Select(p => p.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        var outputs = new Dictionary<string, string>
        {
            ["path"] = folder,
            ["revision"] = commit.Revision ?? "none",
        };

        if (argo is null)
        {
            foreach (var module in modules)
            {
                outputs[$"module.{module}"] = "committed";
            }

            outputs["changed"] = changedModules.Count.ToString(CultureInfo.InvariantCulture);
            return StepOutcome.Done(
                $"{modules.Count} module(s) in the GitOps repository ({Committed(commit)}); no ArgoCD sync ({ArgoCdOptions.Section}:Server not configured)",
                outputs);
        }

        var (applied, states) = await DeployAsync(tenant, modules, changedModules, commit, cancellationToken);
        foreach (var state in states)
        {
            outputs[$"module.{state.Key}"] = state.Value.Describe();
        }

        outputs["changed"] = (changedModules.Count + applied).ToString(CultureInfo.InvariantCulture);
        return StepOutcome.Done(
            $"{modules.Count} module(s) Healthy/Synced through ArgoCD ({Committed(commit)}; {applied} application change(s))",
            outputs);
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var folder = TenantServiceManifests.Folder(tenant);
        var parts = new List<string>();
        if (argo is not null)
        {
            // The compensation command carries no module list: find the Applications by label and by the folders in git.
            var names = (await argo.ListAsync(TenantServiceManifests.TenantSelector(tenant.TenantId), cancellationToken))
                .Select(a => a["metadata"]?["name"]?.GetValue<string>())
                .OfType<string>()
                .Union((await repository.ListFolderAsync(folder, cancellationToken)).Select(m => TenantServiceManifests.ApplicationName(tenant, m)), StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            var deleted = 0;
            foreach (var name in names)
            {
                deleted += await argo.DeleteAsync(name, cancellationToken) ? 1 : 0;
            }

            await WaitGoneAsync(names, cancellationToken);
            if (deleted > 0)
            {
                parts.Add($"deleted {deleted} ArgoCD application(s)");
            }
        }

        var commit = await repository.ReplaceFolderAsync(
            folder,
            new Dictionary<string, string>(),
            $"bacbos: remove services of tenant {tenant.TenantId:D} ({tenant.Slug})",
            cancellationToken);
        if (commit.Committed)
        {
            parts.Add($"removed {folder} in commit {commit.Revision![..12]}");
        }

        return parts.Count == 0 ? "no deployments to remove" : string.Join("; ", parts);
    }

    private async Task<(int Applied, IReadOnlyDictionary<string, ArgoCdApplicationState> States)> DeployAsync(
        TenantContext tenant, IReadOnlyList<string> modules, IReadOnlySet<string> changedModules, GitFolderChange commit, CancellationToken cancellationToken)
    {
        var existing = (await argo!.ListAsync(TenantServiceManifests.TenantSelector(tenant.TenantId), cancellationToken))
            .Where(a => a["metadata"]?["name"] is not null)
            .ToDictionary(a => a["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal);
        var applied = 0;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            var name = TenantServiceManifests.ApplicationName(tenant, module);
            names[name] = module;
            var desired = TenantServiceManifests.Application(tenant, module, argoOptions, repositoryOptions);
            existing.TryGetValue(name, out var current);
            var upserted = current is null || !ArgoCdApplicationState.Covers(current["metadata"], desired["metadata"]) || !ArgoCdApplicationState.Covers(current["spec"], desired["spec"]);
            if (upserted)
            {
                current = await argo.UpsertAsync(desired, cancellationToken);
                applied++;
            }

            if (upserted || changedModules.Contains(module) || !ArgoCdApplicationState.From(name, current).IsReady)
            {
                await argo.SyncAsync(name, commit.Revision, cancellationToken);
            }
        }

        // Applications of modules the tenant no longer has.
        foreach (var stale in existing.Keys.Where(n => !names.ContainsKey(n)))
        {
            applied += await argo.DeleteAsync(stale, cancellationToken) ? 1 : 0;
        }

        var states = await WaitReadyAsync(names.Keys.ToList(), cancellationToken);
        return (applied, states.ToDictionary(s => names[s.Name], StringComparer.Ordinal));
    }

    private async Task<IReadOnlyList<ArgoCdApplicationState>> WaitReadyAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + argoOptions.HealthTimeout;
        while (true)
        {
            var states = new List<ArgoCdApplicationState>();
            foreach (var name in names)
            {
                var application = await argo!.GetAsync(name, cancellationToken)
                    ?? throw new ArgoCdUnavailableException($"ArgoCD application {name} disappeared while waiting for it to become healthy");
                states.Add(ArgoCdApplicationState.From(name, application));
            }

            var pending = states.Where(s => !s.IsReady).ToList();
            if (pending.Count == 0)
            {
                return states;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new ArgoCdNotReadyException(
                    $"ArgoCD applications not Healthy/Synced after {argoOptions.HealthTimeout.TotalSeconds:0.#} s: " +
                    string.Join("; ", pending.Select(s => $"{s.Name} {s.Describe()}{(s.OperationPhase is null ? string.Empty : $" (sync {s.OperationPhase})")}{(s.Message is null ? string.Empty : $": {s.Message}")}")) +
                    " — scheduled redelivery checks again");
            }

            logger.LogDebug("Waiting for {Pending} ArgoCD application(s) to become Healthy/Synced", pending.Count);
            await Task.Delay(argoOptions.PollInterval, cancellationToken);
        }
    }

    private async Task WaitGoneAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + argoOptions.HealthTimeout;
        var remaining = names.ToList();
        while (true)
        {
            var still = new List<string>();
            foreach (var name in remaining)
            {
                if (await argo!.GetAsync(name, cancellationToken) is not null)
                {
                    still.Add(name);
                }
            }

            if (still.Count == 0)
            {
                return;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new ArgoCdNotReadyException(
                    $"ArgoCD applications still deleting after {argoOptions.HealthTimeout.TotalSeconds:0.#} s: {string.Join(", ", still)} — redelivery checks again");
            }

            remaining = still;
            await Task.Delay(argoOptions.PollInterval, cancellationToken);
        }
    }

    private static string Committed(GitFolderChange commit) =>
        commit.Committed ? $"committed {commit.Revision![..12]}, {commit.ChangedPaths.Count} file(s) changed" : "repository already up to date";
}

/// <summary>The Applications did not reach Healthy/Synced (or finish deleting) within the bounded wait: transient.</summary>
public sealed class ArgoCdNotReadyException(string message) : Exception(message);

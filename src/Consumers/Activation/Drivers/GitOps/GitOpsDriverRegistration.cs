using System.Security.Cryptography;
using System.Text;
using BacBos.Platform.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.GitOps;

/// <summary>
/// Registers the step 6 GitOps driver when <c>Drivers:GitOps:RepositoryUrl</c> is set (with ArgoCD when
/// <c>Drivers:ArgoCd:Server</c> is set too); otherwise registers nothing and the local-folder default stays.
/// </summary>
public static class GitOpsDriverRegistration
{
    public static IServiceCollection AddGitOpsDrivers(this IServiceCollection services, IConfiguration configuration)
    {
        var repository = configuration.GetSection(GitOpsRepositoryOptions.Section).Get<GitOpsRepositoryOptions>() ?? new GitOpsRepositoryOptions();
        var argo = configuration.GetSection(ArgoCdOptions.Section).Get<ArgoCdOptions>() ?? new ArgoCdOptions();
        if (!repository.IsConfigured)
        {
            return argo.IsConfigured
                ? throw new InvalidOperationException(
                    $"{ArgoCdOptions.Section}:Server is set but {GitOpsRepositoryOptions.Section}:RepositoryUrl is not: the ArgoCD Applications need the repository they deploy from.")
                : services;
        }

        services.AddSingleton(repository);
        services.AddSingleton(argo);
        services.AddSingleton(sp => new GitOpsRepository(
            repository,
            repository.WorkDirectory ?? DefaultWorkDirectory(sp.GetService<DatabaseOptions>()?.DataDirectory ?? "./data", repository.RepositoryUrl!),
            sp.GetRequiredService<ILogger<GitOpsRepository>>()));
        if (argo.IsConfigured)
        {
            services.AddSingleton(_ => new ArgoCdClient(argo));
        }

        services.AddSingleton<IServiceDeploymentDriver>(sp => new GitOpsServiceDeploymentDriver(
            sp.GetRequiredService<GitOpsRepository>(),
            sp.GetRequiredService<GitOpsOptions>(),
            repository,
            argo,
            sp.GetRequiredService<ILogger<GitOpsServiceDeploymentDriver>>(),
            sp.GetService<ArgoCdClient>()));
        return services;
    }

    /// <summary><c>{data}/gitops-clones/{first 16 hex of SHA-256(url)}</c>: one private clone per remote.</summary>
    public static string DefaultWorkDirectory(string dataDirectory, string repositoryUrl) =>
        Path.Combine(Path.GetFullPath(dataDirectory), "gitops-clones", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repositoryUrl)))[..16]);
}

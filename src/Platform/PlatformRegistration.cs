using BacBos.Platform.Data;
using BacBos.Platform.Scheduling;
using BacBos.Platform.Security;
using BacBos.Platform.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BacBos.Platform;

/// <summary>Composition of the shared infrastructure every process needs.</summary>
public static class PlatformRegistration
{
    /// <summary>Database, migrations at start-up, secret protection and per-tenant storage.</summary>
    public static IServiceCollection AddBacBosPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        database.ConnectionString ??= configuration.GetConnectionString(database.Provider.ToString());
        database.DataDirectory = Path.GetFullPath(database.DataDirectory);
        var security = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();

        services.AddSingleton(database);
        services.AddSingleton(security);
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<TenantDatabases>();
        services.AddSingleton(_ => new SecretProtector(DataKeyProvider.Resolve(security, database)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TenantSecrets>();

        // Registered before the bus so the schema exists before any endpoint consumes.
        services.AddHostedService<MigrationHostedService>();
        services.AddBacBosScheduler(configuration, database);
        return services;
    }

    private sealed class MigrationHostedService(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

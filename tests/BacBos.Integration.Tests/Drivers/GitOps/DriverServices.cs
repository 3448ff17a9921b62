using BacBos.Consumers;
using BacBos.Platform.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Drivers.GitOps;

/// <summary>
/// The drivers exactly as the hosts compose them: <c>AddActivationConsumerServices</c> over an in-memory configuration
/// (plus the platform database when a driver needs it), so a test exercises the same registration decisions.
/// </summary>
public static class DriverServices
{
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings, Database? database = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        if (database is not null)
        {
            services.AddSingleton(database).AddSingleton(database.Options).AddSingleton(TimeProvider.System);
        }

        services.AddActivationConsumerServices(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Several configuration fragments into one dictionary (later ones win).</summary>
    public static Dictionary<string, string?> Merge(params IEnumerable<KeyValuePair<string, string?>>[] fragments)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in fragments.SelectMany(f => f))
        {
            merged[key] = value;
        }

        return merged;
    }
}

using System.Security.Cryptography;
using BacBos.Consumers;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Integration.Tests.Doubles.KubernetesApi;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Drivers.Kubernetes;

/// <summary>
/// The drivers composed exactly as the worker composes them (<c>AddActivationConsumerServices</c> with the given
/// configuration), plus the platform pieces they need: a migrated PostgreSQL database for <see cref="TenantSecrets"/>
/// when the DNS/TLS driver is configured.
/// </summary>
public static class KubernetesDriverHost
{
    public static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> configuration, Database? database = null)
    {
        // Later keys win, so callers can append overrides.
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration)
        {
            settings[key] = value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        if (database is not null)
        {
            services.AddSingleton(database);
            services.AddSingleton(new SecretProtector(RandomNumberGenerator.GetBytes(32)));
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<TenantSecrets>();
        }

        services.AddActivationConsumerServices(config);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Every configuration key of both drivers against the double and dnsmasq (for an end-to-end host, pass them as
    /// environment variables with <c>__</c> for <c>:</c>).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Configuration(KubernetesApiDouble api, DnsmasqServer dns, string ingressTarget, TimeSpan? propagationTimeout = null) =>
        api.Configuration().Concat(dns.Configuration(ingressTarget, propagationTimeout));

    /// <summary>A migrated platform database on the shared PostgreSQL server (dropped with the returned handle).</summary>
    public static async Task<(PostgresDatabase Server, Database Database)> PlatformDatabaseAsync()
    {
        var server = await PostgresDatabase.CreateAsync();
        var database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = server.ConnectionString });
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync();
        return (server, database);
    }
}

/// <summary>Tenants as the step commands carry them: the preset's modules, a plan, optionally a domain.</summary>
public static class TestTenants
{
    public static TenantContext Create(string industry = "ecommerce", string? domain = null, string? plan = null, Guid? tenantId = null, string name = "Lagos Fresh Foods")
    {
        IndustryPresets.TryGet(industry, out var preset);
        var input = new BusinessActivationInput(
            name,
            "NG",
            "NGN",
            industry,
            ["email"],
            ["paystack"],
            Domain: domain,
            AdminContact: new AdminContact("Ada Obi", "ada@example.test"),
            Plan: plan);
        return new TenantContext(Guid.NewGuid(), tenantId ?? Guid.NewGuid(), input, IndustryPresets.Merge(preset!, null));
    }
}

/// <summary>The Kubernetes API double shared by the tests of one class.</summary>
public sealed class KubernetesApiFixture : IAsyncLifetime
{
    public KubernetesApiDouble Api { get; private set; } = null!;

    public async Task InitializeAsync() => Api = await KubernetesApiDouble.StartAsync();

    public async Task DisposeAsync() => await Api.DisposeAsync();
}

/// <summary>Double, dnsmasq and a platform database: everything the DNS/TLS driver talks to.</summary>
public sealed class DnsTlsFixture : IAsyncLifetime
{
    public const string IngressAddress = "203.0.113.10";

    public KubernetesApiDouble Api { get; private set; } = null!;

    public DnsmasqServer Dns { get; private set; } = null!;

    public PostgresDatabase Postgres { get; private set; } = null!;

    public Database Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await KubernetesApiDouble.StartAsync();
        Dns = await DnsmasqServer.StartAsync();
        (Postgres, Database) = await KubernetesDriverHost.PlatformDatabaseAsync();
    }

    /// <summary>Drivers configured against this fixture's servers; <paramref name="overrides"/> win.</summary>
    public ServiceProvider Services(TimeSpan? propagationTimeout = null, string ingressTarget = IngressAddress, IReadOnlyDictionary<string, string?>? overrides = null) =>
        KubernetesDriverHost.Build(
            KubernetesDriverHost.Configuration(Api, Dns, ingressTarget, propagationTimeout).Concat(overrides ?? new Dictionary<string, string?>()),
            Database);

    /// <summary>The tenant row step 2 writes (tenant secrets reference it).</summary>
    public Task RegisterTenantAsync(TenantContext tenant) =>
        Postgres.ScalarAsync(
            "INSERT INTO tenants (id, activation_id, business_name, slug, plan, status, region, currency, industry, domain, created_at, updated_at) " +
            "VALUES (@id, @a, @n, @s, @p, 'provisioning', @r, @c, @i, @d, now(), now())",
            ("id", tenant.TenantId),
            ("a", tenant.ActivationId),
            ("n", tenant.Input.BusinessName!),
            ("s", tenant.Slug),
            ("p", tenant.Plan),
            ("r", tenant.Input.Region!),
            ("c", tenant.Input.Currency!),
            ("i", tenant.Input.Industry!),
            ("d", (object?)tenant.Input.Domain ?? DBNull.Value));

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Dns.DisposeAsync();
        await Database.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

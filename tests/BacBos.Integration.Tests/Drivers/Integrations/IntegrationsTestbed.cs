using System.Security.Cryptography;
using BacBos.Consumers;
using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Integration.Tests.Doubles.Graph;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Drivers.Integrations;

/// <summary>
/// A migrated PostgreSQL platform database plus the provider doubles, shared by one test class. Every test makes its
/// own tenant (<see cref="NewTenantAsync"/>) and its own driver from a configuration (<see cref="Driver"/>), composed
/// through the production registration (<see cref="ConsumerRegistration.AddActivationConsumerServices"/>).
/// </summary>
public sealed class IntegrationsTestbed : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    public PostgresDatabase Postgres { get; private set; } = null!;

    public Database Database { get; private set; } = null!;

    public IntegrationDoubles Doubles { get; private set; } = null!;

    public TenantSecrets Secrets { get; private set; } = null!;

    private SecretProtector Protector { get; } = new(RandomNumberGenerator.GetBytes(32));

    public async Task InitializeAsync()
    {
        Postgres = await PostgresDatabase.CreateAsync();
        Database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = Postgres.ConnectionString });
        await new Migrator(Database, NullLogger<Migrator>.Instance).MigrateAsync();
        Secrets = new TenantSecrets(Database, Protector, TimeProvider.System);
        Doubles = await IntegrationDoubles.StartAsync();
    }

    /// <summary>The production service composition for <paramref name="configuration"/> on this database.</summary>
    public IServiceProvider Services(IReadOnlyDictionary<string, string?> configuration) => Compose(Database, Protector, configuration, _providers);

    /// <summary>The registered step-7 driver for <paramref name="configuration"/> (every key of <see cref="IntegrationDoubles.Configuration"/> by default).</summary>
    public IIntegrationsDriver Driver(IReadOnlyDictionary<string, string?>? configuration = null) =>
        Services(configuration ?? Doubles.Configuration()).GetRequiredService<IIntegrationsDriver>();

    /// <summary>The driver with <paramref name="change"/> applied to the full configuration.</summary>
    public IIntegrationsDriver Driver(Action<Dictionary<string, string?>> change)
    {
        var configuration = Doubles.Configuration();
        change(configuration);
        return Driver(configuration);
    }

    public static IServiceProvider Compose(Database database, SecretProtector protector, IReadOnlyDictionary<string, string?> configuration, List<ServiceProvider> owned)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(database.Options);
        services.AddSingleton(database);
        services.AddSingleton(protector);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TenantSecrets>();
        services.AddActivationConsumerServices(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        var provider = services.BuildServiceProvider();
        owned.Add(provider);
        return provider;
    }

    /// <summary>A profile asking for Stripe, Paystack, WhatsApp and email on its own domain.</summary>
    public static BusinessActivationInput Input(string? domain, string[]? payments = null, string[]? channels = null) =>
        new("Lagos Fresh Foods", "NG", "NGN", "ecommerce", channels ?? ["whatsapp", "email"], payments ?? ["stripe", "paystack"], Domain: domain);

    /// <summary>A tenant row (secrets and DNS records reference it) and the driver's view of it.</summary>
    public Task<TenantContext> NewTenantAsync(string[]? payments = null, string[]? channels = null, bool withDomain = true)
    {
        var tenantId = Guid.NewGuid();
        var domain = withDomain ? $"shop-{tenantId:N}"[..17] + ".example" : null;
        return NewTenantAsync(Database, tenantId, Input(domain, payments, channels));
    }

    public static async Task<TenantContext> NewTenantAsync(Database database, Guid tenantId, BusinessActivationInput input)
    {
        var activationId = Guid.NewGuid();
        await using var session = await database.BeginAsync();
        await session.ExecuteAsync(
            "INSERT INTO tenants (id, activation_id, business_name, slug, plan, status, region, currency, industry, domain, created_at, updated_at) " +
            "VALUES (@id, @a, @n, @s, 'starter', 'active', 'NG', 'NGN', 'ecommerce', @d, @now, @now)",
            default,
            ("id", database.Id(tenantId)),
            ("a", database.Id(activationId)),
            ("n", input.BusinessName),
            ("s", TenantContext.Slugify(input.BusinessName!)),
            ("d", input.Domain),
            ("now", database.Time(DateTimeOffset.UtcNow)));
        await session.CommitAsync();
        return new TenantContext(activationId, tenantId, input, ["crm", "payments"]);
    }

    /// <summary>A WABA on the Graph double whose credentials are sealed for the tenant, as onboarding would store them.</summary>
    public async Task<GraphWhatsAppAccount> SupplyWhatsAppAsync(TenantContext tenant)
    {
        var account = Doubles.Graph.AddWhatsAppAccount();
        await new TenantCredentials(Secrets).SupplyWhatsAppAsync(
            tenant.TenantId,
            new WhatsAppCredentials(account.AccessToken, account.BusinessAccountId, account.PhoneNumberId),
            default);
        return account;
    }

    public Task<IReadOnlyList<string>> LeftoversAsync(TenantContext tenant, IEnumerable<string>? stripeKeys = null, IEnumerable<string>? wabas = null) =>
        Doubles.LeftoversAsync(Postgres, tenant.TenantId, stripeKeys ?? [], wabas);

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Doubles.DisposeAsync();
        await Database.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

using System.Security.Cryptography;
using BacBos.Consumers.Activation.Steps;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Data;
using BacBos.Platform.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>
/// A migrated throw-away platform database on the real PostgreSQL with <see cref="TenantSecrets"/> over it (random data
/// key), for drivers that seal generated passwords. Use as a class fixture.
/// </summary>
public sealed class TenantSecretsDatabase : IAsyncLifetime
{
    private PostgresDatabase? _postgres;

    public Database Database { get; private set; } = null!;

    public TenantSecrets Secrets { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresDatabase.CreateAsync();
        Database = new Database(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = _postgres.ConnectionString });
        await new Migrator(Database, NullLogger<Migrator>.Instance).MigrateAsync();
        Secrets = new TenantSecrets(Database, new SecretProtector(RandomNumberGenerator.GetBytes(32)), TimeProvider.System);
    }

    /// <summary>A new tenant with its platform row (secrets reference it), as step 2 would have created it.</summary>
    public async Task<TenantContext> NewTenantAsync()
    {
        var tenant = DataServers.NewTenant();
        await _postgres!.ScalarAsync(
            "INSERT INTO tenants (id, activation_id, business_name, slug, plan, status, region, currency, industry, created_at, updated_at) " +
            "VALUES (@id, @a, @n, @s, 'starter', 'active', 'GBR', 'GBP', 'Retail', now(), now())",
            ("id", tenant.TenantId),
            ("a", tenant.ActivationId),
            ("n", tenant.Input.BusinessName!),
            ("s", tenant.Slug));
        return tenant;
    }

    /// <summary>How many secrets the tenant has stored (any name).</summary>
    public async Task<long> CountAsync(Guid tenantId) =>
        await _postgres!.CountAsync("SELECT count(*) FROM tenant_secrets WHERE tenant_id = @t", ("t", tenantId));

    public async Task DisposeAsync()
    {
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

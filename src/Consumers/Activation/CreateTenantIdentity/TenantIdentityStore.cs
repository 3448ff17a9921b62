using System.Text.Json;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Data;
using BacBos.Platform.Security;

namespace BacBos.Consumers.Activation.CreateTenantIdentity;

/// <summary>
/// Writes a tenant's identity in one transaction: the tenant row (keyed by the activation, so a repeat finds it),
/// an API key stored only as a hash, a webhook signing secret encrypted at rest, the admin user with a hashed
/// temporary password, and the one-time credentials sealed for the activation's first reveal.
/// </summary>
public sealed class TenantIdentityStore(Database database, SecretProtector protector, ProvisioningLog log)
{
    public const string CredentialsPurpose = "activation-credentials";

    public async Task<(bool Created, string AdminUsername)> CreateAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var input = tenant.Input;
        var adminUsername = AdminUsername(tenant);
        await using var session = await database.BeginAsync(cancellationToken);
        var existing = await session.ScalarAsync(
            "SELECT id FROM tenants WHERE activation_id = @a" + database.ForUpdate,
            cancellationToken,
            ("a", database.Id(tenant.ActivationId)));
        if (existing is not null)
        {
            return (false, adminUsername);
        }

        var now = database.Time(DateTimeOffset.UtcNow);
        await session.ExecuteAsync(
            "INSERT INTO tenants (id, activation_id, business_name, slug, plan, status, region, currency, industry, domain, created_at, updated_at) " +
            "VALUES (@id, @a, @n, @slug, @plan, 'provisioning', @region, @currency, @industry, @domain, @now, @now)",
            cancellationToken,
            ("id", database.Id(tenant.TenantId)),
            ("a", database.Id(tenant.ActivationId)),
            ("n", input.BusinessName!),
            ("slug", tenant.Slug),
            ("plan", tenant.Plan),
            ("region", input.Region!),
            ("currency", input.Currency!),
            ("industry", input.Industry!),
            ("domain", input.Domain),
            ("now", now));

        var (keyId, apiKey, hash) = ApiKeys.Generate();
        await session.ExecuteAsync(
            "INSERT INTO tenant_api_keys (key_id, tenant_id, key_hash, label, created_at) VALUES (@k, @t, @h, 'initial', @now)",
            cancellationToken,
            ("k", keyId),
            ("t", database.Id(tenant.TenantId)),
            ("h", hash),
            ("now", now));

        var webhookSecret = "whsec_" + SecureTokens.Base64Url(32);
        await session.ExecuteAsync(
            "INSERT INTO tenant_secrets (tenant_id, name, ciphertext, created_at) VALUES (@t, 'webhook_signing', @c, @now)",
            cancellationToken,
            ("t", database.Id(tenant.TenantId)),
            ("c", protector.Protect(webhookSecret, TenantSecrets.Purpose(tenant.TenantId, "webhook_signing"))),
            ("now", now));

        var tempPassword = SecureTokens.Password();
        await session.ExecuteAsync(
            "INSERT INTO tenant_users (tenant_id, username, email, display_name, role, password_hash, must_change_password, created_at) " +
            "VALUES (@t, @u, @e, @d, 'owner', @p, @m, @now)",
            cancellationToken,
            ("t", database.Id(tenant.TenantId)),
            ("u", adminUsername),
            ("e", input.AdminContact?.Email),
            ("d", input.AdminContact?.Name),
            ("p", PasswordHasher.Hash(tempPassword)),
            ("m", true),
            ("now", now));

        var credentials = JsonSerializer.Serialize(new ActivationCredentials(adminUsername, tempPassword, apiKey));
        await session.ExecuteAsync(
            "INSERT INTO activation_credentials (activation_id, tenant_id, sealed, created_at) VALUES (@a, @t, @s, @now)",
            cancellationToken,
            ("a", database.Id(tenant.ActivationId)),
            ("t", database.Id(tenant.TenantId)),
            ("s", protector.Protect(credentials, $"{CredentialsPurpose}:{tenant.ActivationId:D}")),
            ("now", now));

        await log.RecordAsync(session, tenant, ActivationStep.CreateTenantIdentity, "tenant-created", $"api key {keyId}", cancellationToken);
        await session.CommitAsync(cancellationToken);
        return (true, adminUsername);
    }

    public async Task<bool> DeleteAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var rows = await session.ExecuteAsync("DELETE FROM tenants WHERE id = @t", cancellationToken, ("t", database.Id(tenant.TenantId)));
        await session.ExecuteAsync("DELETE FROM activation_credentials WHERE activation_id = @a", cancellationToken, ("a", database.Id(tenant.ActivationId)));
        if (rows > 0)
        {
            await log.RecordAsync(session, tenant, ActivationStep.CreateTenantIdentity, "tenant-deleted", null, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return rows > 0;
    }

    /// <summary>The admin signs in with their e-mail address, or <c>admin@{slug}</c> when none was given.</summary>
    public static string AdminUsername(TenantContext tenant) =>
        tenant.Input.AdminContact?.Email?.Trim().ToLowerInvariant() is { Length: > 0 } email ? email : $"admin@{tenant.Slug}";
}

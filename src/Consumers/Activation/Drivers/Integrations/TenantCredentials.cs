using BacBos.Platform.Security;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// The tenant-scoped names in <see cref="TenantSecrets"/> that step 7 reads and writes, in one place so the
/// payments and messaging work later read the same names.
/// <para>
/// Tenant-supplied credentials (the tenant's own Stripe or Paystack secret key, its WhatsApp Business token and ids)
/// are read from here. The activation input deliberately carries none: it is persisted in plain text in the saga
/// state and the idempotency records, so whoever collects credentials seals them under these names first (see
/// <see cref="SupplyWhatsAppAsync"/>); when a name is absent the platform's configured key is used or the part is
/// skipped with the reason.
/// </para>
/// </summary>
public sealed class TenantCredentials(TenantSecrets secrets)
{
    /// <summary>The tenant's own Stripe secret key (optional; otherwise the platform key <c>Drivers:Stripe:ApiKey</c>).</summary>
    public const string StripeSecretKey = "stripe_secret_key";

    /// <summary>The <c>whsec_</c> signing secret Stripe returned when step 7 created the tenant's webhook endpoint.</summary>
    public const string StripeWebhookSecret = "stripe_webhook_secret";

    /// <summary>The id (<c>we_…</c>) of the tenant's Stripe webhook endpoint.</summary>
    public const string StripeWebhookEndpointId = "stripe_webhook_endpoint_id";

    /// <summary>The tenant's own Paystack secret key (optional; otherwise the platform key <c>Drivers:Paystack:SecretKey</c>).</summary>
    public const string PaystackSecretKey = "paystack_secret_key";

    /// <summary>The tenant's WhatsApp Business system-user access token.</summary>
    public const string WhatsAppAccessToken = "whatsapp_access_token";

    /// <summary>The tenant's WhatsApp Business Account id (WABA).</summary>
    public const string WhatsAppBusinessAccountId = "whatsapp_business_account_id";

    /// <summary>The id of the tenant's WhatsApp phone number inside its WABA.</summary>
    public const string WhatsAppPhoneNumberId = "whatsapp_phone_number_id";

    /// <summary>PKCS#8 PEM of the tenant's DKIM signing key.</summary>
    public const string DkimPrivateKey = "dkim_private_key";

    /// <summary>Every name step 7 may leave behind: what compensation and "nothing left" checks look at.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        StripeSecretKey, StripeWebhookSecret, StripeWebhookEndpointId, PaystackSecretKey,
        WhatsAppAccessToken, WhatsAppBusinessAccountId, WhatsAppPhoneNumberId, DkimPrivateKey,
    ];

    public Task<string?> GetAsync(Guid tenantId, string name, CancellationToken cancellationToken) =>
        secrets.GetAsync(tenantId, name, cancellationToken);

    public Task PutAsync(Guid tenantId, string name, string value, CancellationToken cancellationToken) =>
        secrets.PutAsync(tenantId, name, value, cancellationToken);

    /// <summary>Removes the named secrets; returns how many existed.</summary>
    public async Task<int> DeleteAsync(Guid tenantId, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var name in names)
        {
            removed += await secrets.DeleteAsync(tenantId, name, cancellationToken) ? 1 : 0;
        }

        return removed;
    }

    /// <summary>The tenant's WhatsApp Business credentials, or null unless all three values are stored.</summary>
    public async Task<WhatsAppCredentials?> GetWhatsAppAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var token = await secrets.GetAsync(tenantId, WhatsAppAccessToken, cancellationToken);
        var waba = await secrets.GetAsync(tenantId, WhatsAppBusinessAccountId, cancellationToken);
        var phone = await secrets.GetAsync(tenantId, WhatsAppPhoneNumberId, cancellationToken);
        return token is null || waba is null || phone is null ? null : new WhatsAppCredentials(token, waba, phone);
    }

    /// <summary>Seals the tenant's WhatsApp Business credentials (what an onboarding form or embedded signup collects).</summary>
    public async Task SupplyWhatsAppAsync(Guid tenantId, WhatsAppCredentials credentials, CancellationToken cancellationToken)
    {
        await secrets.PutAsync(tenantId, WhatsAppAccessToken, credentials.AccessToken, cancellationToken);
        await secrets.PutAsync(tenantId, WhatsAppBusinessAccountId, credentials.BusinessAccountId, cancellationToken);
        await secrets.PutAsync(tenantId, WhatsAppPhoneNumberId, credentials.PhoneNumberId, cancellationToken);
    }
}

/// <summary>A tenant's WhatsApp Business Platform credentials. <see cref="ToString"/> never shows the token.</summary>
public sealed record WhatsAppCredentials(string AccessToken, string BusinessAccountId, string PhoneNumberId)
{
    public override string ToString() => $"WhatsAppCredentials {{ BusinessAccountId = {BusinessAccountId}, PhoneNumberId = {PhoneNumberId} }}";
}

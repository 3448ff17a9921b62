using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Paystack has no API to register a webhook URL: each Paystack integration (one per secret key) has exactly one
/// webhook URL and one default callback URL, set in its dashboard. So this part does what the API allows:
/// <list type="bullet">
/// <item>verifies the key the tenant's payments will use (<see cref="PaystackApi.VerifyKeyAsync"/>): the tenant's own
/// sealed <c>paystack_secret_key</c> when present, else the platform's <c>Drivers:Paystack:SecretKey</c>;</item>
/// <item>reports the tenant's <c>callback_url</c> (<see cref="TenantWebhookUrls.PaystackCallback"/>), which the payments
/// workflow passes on every <c>POST /transaction/initialize</c> (it overrides the dashboard's callback URL);</item>
/// <item>with the tenant's own key, reports the webhook URL the tenant must set in its Paystack dashboard
/// (<see cref="TenantWebhookUrls.PaystackWebhook"/>); with the platform key, events arrive at the platform
/// integration's one webhook and are routed by the transaction's <c>metadata.tenant_id</c>.</item>
/// </list>
/// It creates nothing at Paystack, so <c>changed</c> is always 0. Compensation removes the tenant's stored key.
/// </summary>
public sealed class PaystackPart(PaystackOptions options, PaystackApi api, TenantCredentials credentials, TenantWebhookUrls urls) : IIntegrationPart
{
    public string Name => "paystack";

    public async Task<PartResult> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return PartResult.Skip($"not configured (set {PaystackOptions.Section}:SecretKey)");
        }

        if (tenant.Input.Payments?.Contains("paystack", StringComparer.Ordinal) != true)
        {
            return PartResult.Skip("not requested");
        }

        var tenantKey = await credentials.GetAsync(tenant.TenantId, TenantCredentials.PaystackSecretKey, cancellationToken);
        var key = tenantKey ?? (string.IsNullOrWhiteSpace(options.SecretKey) ? null : options.SecretKey);
        if (key is null)
        {
            return PartResult.Skip($"no Paystack key (set {PaystackOptions.Section}:SecretKey or store the tenant's {TenantCredentials.PaystackSecretKey})");
        }

        var owner = tenantKey is null ? "platform" : "tenant";
        if (!key.StartsWith("sk_", StringComparison.Ordinal))
        {
            throw new PermanentStepException($"the {owner} Paystack key is not a secret key (sk_…)");
        }

        await api.VerifyKeyAsync(key, cancellationToken);
        var callback = urls.PaystackCallback(tenant.TenantId);
        var extra = new Dictionary<string, string> { ["paystack_callback_url"] = callback };
        if (tenantKey is null)
        {
            return PartResult.Done($"platform key verified; transactions carry callback_url {callback} and metadata tenant_id", 0, extra);
        }

        var webhook = urls.PaystackWebhook(tenant.TenantId);
        extra["paystack_webhook_url"] = webhook;
        return PartResult.Done($"tenant key verified; set the webhook URL {webhook} in the tenant's Paystack dashboard", 0, extra);
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken) =>
        await credentials.DeleteAsync(tenant.TenantId, [TenantCredentials.PaystackSecretKey], cancellationToken) > 0
            ? "tenant key removed"
            : "nothing to remove";
}

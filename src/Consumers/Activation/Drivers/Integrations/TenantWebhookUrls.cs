using BacBos.Consumers.Activation.CompileResult;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// The platform's public URLs that providers call back for one tenant, derived from <see cref="PublicUrlOptions.ApiBaseUrl"/>.
/// Deterministic, so the step that registers a URL and the receiver that serves it (the payments work) agree without
/// storing it.
/// </summary>
public sealed class TenantWebhookUrls(PublicUrlOptions urls)
{
    /// <summary>Stripe posts events here; the receiver verifies <c>Stripe-Signature</c> with the tenant's <c>stripe_webhook_secret</c>.</summary>
    public string Stripe(Guid tenantId) => $"{Base}/api/v1/webhooks/stripe/{tenantId:D}";

    /// <summary>Paystack posts events here when the tenant uses its own Paystack integration (set in its dashboard).</summary>
    public string PaystackWebhook(Guid tenantId) => $"{Base}/api/v1/webhooks/paystack/{tenantId:D}";

    /// <summary>Where the customer's browser returns after a Paystack checkout: passed as <c>callback_url</c> on every transaction initialize.</summary>
    public string PaystackCallback(Guid tenantId) => $"{Base}/api/v1/payments/paystack/callback/{tenantId:D}";

    private string Base => urls.ApiBaseUrl.TrimEnd('/');
}

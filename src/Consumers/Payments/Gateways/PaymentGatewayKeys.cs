using BacBos.Consumers.Activation.Drivers.Integrations;

namespace BacBos.Consumers.Payments.Gateways;

/// <summary>
/// The secret key a tenant's payments use: the tenant's own sealed key (<c>stripe_secret_key</c>,
/// <c>paystack_secret_key</c>) when stored, else the platform's configured key; none → the gateway is not configured
/// for the tenant and its payments fail with that reason (never a fake success).
/// </summary>
public sealed class PaymentGatewayKeys(StripeOptions stripe, PaystackOptions paystack, TenantCredentials credentials)
{
    public StripeOptions Stripe => stripe;

    public PaystackOptions Paystack => paystack;

    public async Task<string> StripeAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await credentials.GetAsync(tenantId, TenantCredentials.StripeSecretKey, cancellationToken)
        ?? (stripe.Enabled && !string.IsNullOrWhiteSpace(stripe.ApiKey) ? stripe.ApiKey : null)
        ?? throw new PaymentGatewayRefusedException($"skipped: Stripe is not configured (set {StripeOptions.Section}:ApiKey or store the tenant's {TenantCredentials.StripeSecretKey})");

    public async Task<string> PaystackAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await PaystackOrNullAsync(tenantId, cancellationToken)
        ?? throw new PaymentGatewayRefusedException($"skipped: Paystack is not configured (set {PaystackOptions.Section}:SecretKey or store the tenant's {TenantCredentials.PaystackSecretKey})");

    public async Task<string?> PaystackOrNullAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await credentials.GetAsync(tenantId, TenantCredentials.PaystackSecretKey, cancellationToken)
        ?? PlatformPaystack;

    /// <summary>The platform's Paystack key (signs the events of the platform integration's one webhook), or null.</summary>
    public string? PlatformPaystack => paystack.Enabled && !string.IsNullOrWhiteSpace(paystack.SecretKey) ? paystack.SecretKey : null;

    public Task<string?> StripeWebhookSecretAsync(Guid tenantId, CancellationToken cancellationToken) =>
        credentials.GetAsync(tenantId, TenantCredentials.StripeWebhookSecret, cancellationToken);
}

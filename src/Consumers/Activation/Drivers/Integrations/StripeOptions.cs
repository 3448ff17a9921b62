namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Configuration section <c>Drivers:Stripe</c>. Present → the Stripe part runs for tenants whose input asks for
/// <c>stripe</c>: it registers a webhook endpoint per tenant on the platform's Stripe account (<see cref="ApiKey"/>),
/// or on the tenant's own account when the tenant's <c>stripe_secret_key</c> is stored.
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "Drivers:Stripe";

    /// <summary>The platform's secret key (<c>sk_live_…</c> / <c>sk_test_…</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>API base URL; empty means Stripe's own. Tests point it at a local double.</summary>
    public string? ApiBase { get; set; }

    /// <summary>Stripe.net's own retries of connection errors, 409 and 5xx (with the same idempotency key).</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>True when the section exists (set by the registration, not bound).</summary>
    public bool Enabled { get; set; }
}

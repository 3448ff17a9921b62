namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Configuration section <c>Drivers:Paystack</c>. Present → the Paystack part runs for tenants whose input asks for
/// <c>paystack</c>: it verifies the key the tenant's transactions will use (the tenant's own stored
/// <c>paystack_secret_key</c>, else the platform's <see cref="SecretKey"/>).
/// </summary>
public sealed class PaystackOptions
{
    public const string Section = "Drivers:Paystack";

    /// <summary>The platform's secret key (<c>sk_live_…</c> / <c>sk_test_…</c>), used for tenants without their own.</summary>
    public string? SecretKey { get; set; }

    /// <summary>API base URL. Tests point it at a local double.</summary>
    public string BaseUrl { get; set; } = "https://api.paystack.co";

    /// <summary>True when the section exists (set by the registration, not bound).</summary>
    public bool Enabled { get; set; }
}

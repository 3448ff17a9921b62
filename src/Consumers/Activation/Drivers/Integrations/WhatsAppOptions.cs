namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Configuration section <c>Drivers:WhatsApp</c>. Present → the WhatsApp part runs for tenants whose input asks for
/// <c>whatsapp</c> and whose WhatsApp Business credentials are stored (see <see cref="TenantCredentials"/>).
/// </summary>
public sealed class WhatsAppOptions
{
    public const string Section = "Drivers:WhatsApp";

    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    public string ApiVersion { get; set; } = "v21.0";

    /// <summary>
    /// The platform's Meta app id. When set, "already subscribed" means this app is in the WABA's
    /// <c>subscribed_apps</c>; when empty, any subscribed app counts (the tenant's token belongs to our app).
    /// </summary>
    public string? AppId { get; set; }

    /// <summary>True when the section exists (set by the registration, not bound).</summary>
    public bool Enabled { get; set; }
}

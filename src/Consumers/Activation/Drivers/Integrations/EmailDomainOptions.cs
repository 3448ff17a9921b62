namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Configuration section <c>Drivers:Email</c>. The email part needs only the database, but it runs only when
/// <see cref="SpfInclude"/> names the platform's sending service: without it the SPF record would authorise a made-up
/// domain (an <c>include:</c> of a name that does not resolve is an SPF permerror for every mail of the tenant).
/// </summary>
public sealed class EmailDomainOptions
{
    public const string Section = "Drivers:Email";

    /// <summary>The sending service's SPF domain: <c>v=spf1 include:{SpfInclude} ~all</c>.</summary>
    public string? SpfInclude { get; set; }

    /// <summary>DKIM selector: the key is published at <c>{selector}._domainkey.{domain}</c>.</summary>
    public string DkimSelector { get; set; } = "bacbos1";
}

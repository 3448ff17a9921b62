namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// Configuration section <c>Drivers:Dns</c>: the tenant DNS records published through ExternalDNS and how their
/// propagation is verified. Setting <see cref="IngressTarget"/> (with <c>Drivers:Kubernetes</c>) switches step 9 on.
/// </summary>
public sealed class DnsOptions
{
    public const string Section = "Drivers:Dns";

    /// <summary>
    /// Where the tenant's web hosts point: an IPv4/IPv6 address (A/AAAA records) or a host name (CNAME records),
    /// usually the platform ingress's load balancer.
    /// </summary>
    public string? IngressTarget { get; set; }

    /// <summary>
    /// Resolvers asked whether the records have propagated, as <c>address</c> or <c>address:port</c>
    /// (<c>[v6]:port</c>); every one must answer. Empty: the machine's resolvers.
    /// </summary>
    public List<string> Resolvers { get; set; } = [];

    /// <summary>How long one step attempt waits for propagation before it fails transiently (redelivery re-checks).</summary>
    public TimeSpan PropagationTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Pause between two propagation checks.</summary>
    public TimeSpan PropagationPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one DNS query.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>TTL of the published records, in seconds.</summary>
    public long RecordTtl { get; set; } = 300;

    /// <summary>Mail exchanger of tenant domains (MX <c>10 {MailExchanger}</c>); empty: no MX record.</summary>
    public string? MailExchanger { get; set; }

    /// <summary>Optional SPF <c>include:</c> of the platform's sending service, e.g. <c>_spf.bacbos.example</c>.</summary>
    public string? SpfInclude { get; set; }

    /// <summary>DKIM selector: the record is published at <c>{selector}._domainkey.{domain}</c>.</summary>
    public string DkimSelector { get; set; } = "bacbos1";

    /// <summary>
    /// Name of the tenant secret (<see cref="Platform.Security.TenantSecrets"/>) holding the DKIM key written by the email
    /// integration of step 7: an RSA private key in PEM (the public key is derived) or a ready DKIM TXT value
    /// (<c>v=DKIM1; k=rsa; p=…</c>). Absent: no DKIM record.
    /// </summary>
    public string DkimSecretName { get; set; } = "dkim_private_key";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(IngressTarget);

    /// <summary>Rejects an incomplete configuration at start-up.</summary>
    public void Validate()
    {
        foreach (var resolver in Resolvers)
        {
            _ = DnsPropagationChecker.ParseResolver(resolver);
        }

        if (PropagationTimeout < TimeSpan.Zero || PropagationPollInterval <= TimeSpan.Zero || QueryTimeout <= TimeSpan.Zero || RecordTtl <= 0)
        {
            throw new InvalidOperationException($"{Section}: PropagationTimeout, PropagationPollInterval, QueryTimeout and RecordTtl must be positive");
        }

        if (string.IsNullOrWhiteSpace(DkimSelector))
        {
            throw new InvalidOperationException($"{Section}:DkimSelector must not be empty");
        }
    }
}

/// <summary>Configuration section <c>Drivers:Tls</c>: the cert-manager issuer of tenant certificates.</summary>
public sealed class TlsOptions
{
    public const string Section = "Drivers:Tls";

    /// <summary>Name of the cert-manager <c>ClusterIssuer</c> (e.g. a Let's Encrypt ACME issuer).</summary>
    public string ClusterIssuer { get; set; } = "letsencrypt-prod";
}

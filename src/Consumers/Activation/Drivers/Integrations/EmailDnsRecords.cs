namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>A DNS record a tenant's domain needs, as step 9 should publish it. Names are fully qualified, without the trailing dot.</summary>
public sealed record DnsRecordValue(string Name, string Type, string Value);

/// <summary>The three TXT records that let the platform send mail as the tenant's domain.</summary>
public static class EmailDnsRecords
{
    public static IReadOnlyList<DnsRecordValue> For(string domain, string selector, string spfInclude, string dkimPublicKeyBase64) =>
    [
        new(domain, "TXT", $"v=spf1 include:{spfInclude} ~all"),
        new($"{selector}._domainkey.{domain}", "TXT", $"v=DKIM1; k=rsa; p={dkimPublicKeyBase64}"),
        new($"_dmarc.{domain}", "TXT", $"v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}"),
    ];
}

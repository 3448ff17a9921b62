using System.Net;
using System.Net.Sockets;
using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>One DNS record set as ExternalDNS publishes it (<c>spec.endpoints[]</c> of a <c>DNSEndpoint</c>).</summary>
public sealed record DnsRecord(string Name, string Type, IReadOnlyList<string> Targets, long Ttl);

/// <summary>A tenant's DNS records, the web hosts its certificate covers, and what was left out and why.</summary>
public sealed record TenantDnsPlan(IReadOnlyList<string> WebHosts, IReadOnlyList<DnsRecord> Records, IReadOnlyList<string> Notes);

/// <summary>
/// Which records a tenant gets — a pure function of the tenant, the configuration and the DKIM value, so it is
/// checked without a cluster and golden-filed per industry preset.
/// <list type="bullet">
/// <item>Own domain <c>D</c>: <c>app.D</c> (web console) and <c>api.D</c>, plus the apex <c>D</c> when the tenant has
/// the storefront module (the storefront URL of step 11); each points at <see cref="DnsOptions.IngressTarget"/>
/// (A/AAAA for an address, CNAME for a host name — an apex cannot be a CNAME, so it is left out then). Email:
/// MX <c>10 {MailExchanger}</c> when configured, SPF TXT on <c>D</c>, DMARC TXT on <c>_dmarc.D</c>
/// (<c>p=quarantine</c>, reports to <c>postmaster@D</c>) and, when step 7 stored a DKIM key, the DKIM TXT on
/// <c>{selector}._domainkey.D</c>. When step 7's email integration recorded the domain's SPF/DKIM/DMARC records
/// (<c>tenant_dns_records</c>), exactly those are published instead, so both steps agree on selector and policy.</item>
/// <item>No domain: the platform's subdomain scheme of step 11 — <c>{slug}.{ConsoleDomain}</c> and, with the
/// storefront, <c>{slug}.{StorefrontDomain}</c>; no email records (mail goes out under the platform's domain).</item>
/// </list>
/// </summary>
public static class TenantDnsPlanner
{
    public static TenantDnsPlan For(
        TenantContext tenant,
        DnsOptions dns,
        PublicUrlOptions urls,
        string? dkimTxt,
        IReadOnlyList<Integrations.TenantDnsRecord>? published = null)
    {
        var target = dns.IngressTarget?.Trim().TrimEnd('.')
            ?? throw new InvalidOperationException($"{DnsOptions.Section}:IngressTarget is not set");
        var webType = WebRecordType(target);
        var storefront = tenant.Modules.Contains("storefront");
        var domain = NormaliseDomain(tenant.Input.Domain);
        var hosts = new List<string>();
        var notes = new List<string>();
        var records = new List<DnsRecord>();
        if (domain is null)
        {
            hosts.Add($"{tenant.Slug}.{NormaliseDomain(urls.ConsoleDomain)}");
            if (storefront)
            {
                hosts.Add($"{tenant.Slug}.{NormaliseDomain(urls.StorefrontDomain)}");
            }

            notes.Add("no own domain: platform subdomains, no email records");
        }
        else
        {
            hosts.Add($"app.{domain}");
            hosts.Add($"api.{domain}");
            if (storefront && webType != "CNAME")
            {
                hosts.Add(domain);
            }
            else if (storefront)
            {
                notes.Add($"apex {domain} needs an A or ALIAS record at the domain's DNS provider (the ingress target is a host name)");
            }
        }

        records.AddRange(hosts.Select(h => new DnsRecord(h, webType, [target], dns.RecordTtl)));
        if (domain is not null && published is { Count: > 0 })
        {
            records.AddRange(EmailRecords(domain, dns, dkimTxt: null).Where(r => r.Type == "MX"));
            records.AddRange(published.Select(r => new DnsRecord(r.Name, r.Type, [r.Value], dns.RecordTtl)));
            notes.Add($"email records from the email integration (step 7): {string.Join(", ", published.Select(r => r.Name))}");
        }
        else if (domain is not null)
        {
            records.AddRange(EmailRecords(domain, dns, dkimTxt));
            if (dkimTxt is null)
            {
                notes.Add("no DKIM key stored for the tenant yet: SPF and DMARC only");
            }
        }

        return new TenantDnsPlan(hosts, records, notes);
    }

    /// <summary>A for IPv4, AAAA for IPv6, CNAME for a host name.</summary>
    public static string WebRecordType(string target) =>
        IPAddress.TryParse(target, out var address)
            ? address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A"
            : "CNAME";

    private static IEnumerable<DnsRecord> EmailRecords(string domain, DnsOptions dns, string? dkimTxt)
    {
        var mechanisms = new List<string>();
        if (!string.IsNullOrWhiteSpace(dns.MailExchanger))
        {
            yield return new DnsRecord(domain, "MX", [$"10 {dns.MailExchanger.Trim().TrimEnd('.')}"], dns.RecordTtl);
            mechanisms.Add("mx");
        }

        if (!string.IsNullOrWhiteSpace(dns.SpfInclude))
        {
            mechanisms.Add($"include:{dns.SpfInclude.Trim()}");
        }

        mechanisms.Add("~all");
        yield return new DnsRecord(domain, "TXT", [$"v=spf1 {string.Join(' ', mechanisms)}"], dns.RecordTtl);
        yield return new DnsRecord($"_dmarc.{domain}", "TXT", [$"v=DMARC1; p=quarantine; rua=mailto:postmaster@{domain}"], dns.RecordTtl);
        if (dkimTxt is not null)
        {
            yield return new DnsRecord($"{dns.DkimSelector}._domainkey.{domain}", "TXT", [dkimTxt], dns.RecordTtl);
        }
    }

    private static string? NormaliseDomain(string? domain) =>
        string.IsNullOrWhiteSpace(domain) ? null : domain.Trim().TrimEnd('.').ToLowerInvariant();
}

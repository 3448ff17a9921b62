using BacBos.Consumers.Activation.Steps;
using BacBos.Platform.Data;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Prepares the tenant's domain for sending mail: a DKIM key pair (the private key sealed as <c>dkim_private_key</c>)
/// and the SPF, DKIM and DMARC TXT records in <c>tenant_dns_records</c> for step 9 to publish. The key and the records
/// commit in one transaction. A repeat keeps the existing key (rotation would break mail signed with the published
/// one) and rewrites nothing. Compensation removes the key and the records.
/// </summary>
public sealed class EmailDomainPart(EmailDomainOptions options, Database database, TenantCredentials credentials, TenantDnsRecords dnsRecords) : IIntegrationPart
{
    /// <summary>The <c>source</c> of this part's rows in <c>tenant_dns_records</c>.</summary>
    public const string RecordSource = "integrations:email";

    public string Name => "email";

    public async Task<PartResult> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.SpfInclude))
        {
            return PartResult.Skip($"not configured (set {EmailDomainOptions.Section}:SpfInclude)");
        }

        var domain = tenant.Input.Domain?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(domain))
        {
            return PartResult.Skip("no domain in the input");
        }

        await using var session = await database.BeginAsync(cancellationToken);
        int changed;
        using (Database.UseAmbient(session))
        {
            var privateKey = await credentials.GetAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, cancellationToken);
            changed = privateKey is null ? 1 : 0;
            if (privateKey is null)
            {
                privateKey = DkimKey.GeneratePrivateKeyPem();
                await credentials.PutAsync(tenant.TenantId, TenantCredentials.DkimPrivateKey, privateKey, cancellationToken);
            }

            var records = EmailDnsRecords.For(domain, options.DkimSelector, options.SpfInclude, DkimKey.PublicKeyBase64(privateKey));
            changed += await dnsRecords.ReplaceAsync(session, tenant.TenantId, RecordSource, records, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return PartResult.Done(
            $"dkim selector {options.DkimSelector}, 3 TXT records",
            changed,
            new Dictionary<string, string> { ["dkim_selector"] = options.DkimSelector });
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        int keys, records;
        using (Database.UseAmbient(session))
        {
            keys = await credentials.DeleteAsync(tenant.TenantId, [TenantCredentials.DkimPrivateKey], cancellationToken);
            records = await dnsRecords.DeleteAsync(session, tenant.TenantId, RecordSource, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return keys + records == 0 ? "nothing to remove" : $"dkim key removed ({keys}), {records} dns record(s) removed";
    }
}

using System.Security.Cryptography;
using BacBos.Consumers.Activation.Steps;
using BacBos.Platform.Security;

namespace BacBos.Consumers.Activation.Drivers.Kubernetes;

/// <summary>
/// The tenant's DKIM TXT value, from the key the email integration (step 7) keeps in <see cref="TenantSecrets"/>
/// under <see cref="DnsOptions.DkimSecretName"/>. Only the public half ever leaves this class.
/// </summary>
public sealed class DkimRecordSource(TenantSecrets secrets, DnsOptions options)
{
    /// <summary>The DKIM TXT value, or null when the tenant has no DKIM key (yet).</summary>
    public async Task<string?> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var stored = await secrets.GetAsync(tenantId, options.DkimSecretName, cancellationToken);
        return stored is null ? null : ToTxt(stored, options.DkimSecretName);
    }

    /// <summary>
    /// A DKIM TXT value (<c>v=DKIM1; k=rsa; p=…</c>) from an RSA key in PEM (private or public: the public key is
    /// published) or from a stored TXT value as is.
    /// </summary>
    public static string ToTxt(string stored, string secretName)
    {
        var value = stored.Trim();
        if (value.StartsWith("v=DKIM1", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(value);
            return $"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}";
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new PermanentStepException($"tenant secret '{secretName}' is neither an RSA key in PEM nor a DKIM TXT value");
        }
    }
}

using System.Security.Cryptography;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// A tenant's DKIM signing key: RSA 2048 (RFC 8301 asks for at least 1024, recommends 2048), kept as PKCS#8 PEM and
/// published as the base64 SubjectPublicKeyInfo that RFC 6376's <c>p=</c> tag carries.
/// </summary>
public static class DkimKey
{
    public const int KeySizeBits = 2048;

    /// <summary>A new private key as PKCS#8 PEM.</summary>
    public static string GeneratePrivateKeyPem()
    {
        using var rsa = RSA.Create(KeySizeBits);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The <c>p=</c> value for <paramref name="privateKeyPem"/>: base64 of the DER SubjectPublicKeyInfo.</summary>
    public static string PublicKeyBase64(string privateKeyPem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }
}

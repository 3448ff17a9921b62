using System.Security.Cryptography;
using System.Text;

namespace BacBos.Platform.Security;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM. Output: <c>v1.{base64(nonce | tag | ciphertext)}</c>; the purpose string
/// is bound as associated data, so a ciphertext sealed for one tenant/purpose does not open for another.
/// </summary>
public sealed class SecretProtector
{
    private const string Version = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretProtector(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The data key must be 32 bytes (base64 of 32 random bytes).", nameof(key));
        }

        _key = key;
    }

    /// <summary>A 32-byte key for <paramref name="purpose"/> derived from the data key (HMAC-SHA256), e.g. to sign links.</summary>
    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose));

    public string Protect(string plaintext, string purpose)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        return Version + Convert.ToBase64String(output);
    }

    public string Unprotect(string sealedText, string purpose)
    {
        if (!sealedText.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown secret format.");
        }

        var input = Convert.FromBase64String(sealedText[Version.Length..]);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Sealed secret is truncated.");
        }

        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            input.AsSpan(0, NonceSize),
            input.AsSpan(NonceSize + TagSize),
            input.AsSpan(NonceSize, TagSize),
            plaintext,
            Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plaintext);
    }
}

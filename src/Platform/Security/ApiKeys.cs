using System.Security.Cryptography;
using System.Text;

namespace BacBos.Platform.Security;

/// <summary>
/// Tenant API keys: <c>bbk_{keyId}_{secret}</c> with a 16-character public key id (the lookup key) and 256 random
/// bits. Only SHA-256 of the whole key is stored: the key has full entropy, so a slow hash adds nothing; comparison is
/// constant-time.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "bbk_";

    public static (string KeyId, string Key, byte[] Hash) Generate()
    {
        var keyId = SecureTokens.Alphanumeric(16).ToLowerInvariant();
        var key = $"{Prefix}{keyId}_{SecureTokens.Base64Url(32)}";
        return (keyId, key, Hash(key));
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Extracts the key id without trusting anything else in the string.</summary>
    public static bool TryParse(string? presented, out string keyId)
    {
        keyId = string.Empty;
        if (presented is null || presented.Length is < 40 or > 200 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var end = presented.IndexOf('_', Prefix.Length);
        if (end != Prefix.Length + 16)
        {
            return false;
        }

        keyId = presented[Prefix.Length..end];
        return true;
    }

    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}

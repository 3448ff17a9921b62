using System.Security.Cryptography;

namespace BacBos.Platform.Security;

/// <summary>Random strings from the operating system's CSPRNG.</summary>
public static class SecureTokens
{
    private const string Alnum = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static string Alphanumeric(int length) => RandomNumberGenerator.GetString(Alnum, length);

    /// <summary>A temporary password with upper, lower, digit and symbol characters.</summary>
    public static string Password(int length = 20)
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetString(Alnum + "!@#%^*-_=+", length);
            if (candidate.Any(char.IsUpper) && candidate.Any(char.IsLower) && candidate.Any(char.IsDigit) && candidate.Any(c => !char.IsLetterOrDigit(c)))
            {
                return candidate;
            }
        }
    }

    public static string Base64Url(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

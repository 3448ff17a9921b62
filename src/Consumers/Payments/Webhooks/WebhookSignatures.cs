using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BacBos.Consumers.Payments.Webhooks;

/// <summary>How a webhook signature check ended.</summary>
public enum SignatureCheck
{
    Valid,
    Missing,
    Invalid,
    Stale,
}

/// <summary>
/// Webhook signatures, checked on the raw request bytes before anything reads them, compared in constant time.
/// </summary>
public static class WebhookSignatures
{
    /// <summary>Stripe's default tolerance between the signed timestamp and now.</summary>
    public static readonly TimeSpan StripeTolerance = TimeSpan.FromSeconds(300);

    /// <summary>
    /// <c>Stripe-Signature: t=1700000000,v1=hex,v1=hex,v0=…</c>: HMAC-SHA256 of <c>"{t}.{body}"</c> keyed with the
    /// endpoint's <c>whsec_…</c> secret (the whole string, as Stripe does). Any one <c>v1</c> may match (secret
    /// rotation sends several); other schemes are ignored. A matching signature older or newer than the tolerance is stale.
    /// </summary>
    public static SignatureCheck Stripe(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Trim().Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            if (pair[0] == "t" && long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (pair[0] == "v1" && TryHex(pair[1], out var signature))
            {
                candidates.Add(signature);
            }
        }

        if (timestamp is null || candidates.Count == 0)
        {
            return SignatureCheck.Invalid;
        }

        var prefix = Encoding.UTF8.GetBytes(timestamp.Value.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        var matched = false;
        foreach (var candidate in candidates)
        {
            matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
        }

        if (!matched)
        {
            return SignatureCheck.Invalid;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp.Value);
        return age.Duration() > tolerance ? SignatureCheck.Stale : SignatureCheck.Valid;
    }

    /// <summary>The <c>Stripe-Signature</c> header for <paramref name="body"/> signed at <paramref name="at"/> (what Stripe sends).</summary>
    public static string StripeHeader(ReadOnlySpan<byte> body, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(t + ".").Concat(body.ToArray()).ToArray();
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    /// <summary><c>x-paystack-signature</c>: lowercase hex HMAC-SHA512 of the raw body keyed with the secret key.</summary>
    public static SignatureCheck Paystack(string? header, ReadOnlySpan<byte> body, string secretKey)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        if (!TryHex(header.Trim(), out var given))
        {
            return SignatureCheck.Invalid;
        }

        var expected = HMACSHA512.HashData(Encoding.UTF8.GetBytes(secretKey), body);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.Invalid;
    }

    /// <summary>The <c>x-paystack-signature</c> value for <paramref name="body"/> (what Paystack sends).</summary>
    public static string PaystackHeader(ReadOnlySpan<byte> body, string secretKey) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secretKey), body));

    private static bool TryHex(string value, out byte[] bytes)
    {
        bytes = [];
        if (value.Length == 0 || value.Length % 2 != 0)
        {
            return false;
        }

        try
        {
            bytes = Convert.FromHexString(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

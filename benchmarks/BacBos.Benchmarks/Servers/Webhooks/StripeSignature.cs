using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BacBos.Benchmarks.Servers.Webhooks;

/// <summary>
/// Stripe's webhook signature: <c>Stripe-Signature: t={unix seconds},v1={hex HMAC-SHA256("{t}.{raw body}")}</c>,
/// keyed with the endpoint's <c>whsec_…</c> secret; several <c>v1</c> values may be present during secret rotation;
/// the timestamp must be within the tolerance (300 s). Compared in constant time, over the raw bytes.
/// </summary>
public static class StripeSignature
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(300);

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(Compute(secret, timestamp, body));

    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Sign(secret, timestamp, body)}";

    /// <summary>True when one <c>v1</c> signature matches and the timestamp is within tolerance; otherwise the reason.</summary>
    public static bool Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance, out string reason)
    {
        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in (header ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (key == "v1" && value.Length == 64)
            {
                try
                {
                    candidates.Add(Convert.FromHexString(value));
                }
                catch (FormatException)
                {
                    // Not hex: cannot match.
                }
            }
        }

        if (timestamp is null || candidates.Count == 0)
        {
            reason = "malformed Stripe-Signature header (needs t=… and at least one v1=…)";
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp.Value) > tolerance.TotalSeconds)
        {
            reason = "timestamp outside the tolerance";
            return false;
        }

        var expected = Compute(secret, timestamp.Value, body);
        var match = false;
        foreach (var candidate in candidates)
        {
            match |= CryptographicOperations.FixedTimeEquals(expected, candidate);
        }

        reason = match ? string.Empty : "no v1 signature matches";
        return match;
    }

    private static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}

using System.Security.Cryptography;
using System.Text;
using BacBos.Consumers.Documents;
using Microsoft.AspNetCore.WebUtilities;

namespace BacBos.Gateway.Documents;

/// <summary>
/// Session tokens for the collaboration WebSocket: <c>base64url(tenant.document.expiry.actor)</c> + <c>.</c> +
/// <c>base64url(HMAC-SHA256)</c> under <see cref="DocumentsOptions.SessionTokenKey"/>. A token opens one document of one
/// tenant until it expires; it is checked only when the socket opens. Stateless, so any replica with the same key accepts it.
/// </summary>
public sealed class SessionTokens
{
    private readonly byte[] _key;
    private readonly DocumentsOptions _options;
    private readonly TimeProvider _time;

    public SessionTokens(DocumentsOptions options, [FromKeyedServices(DocumentsOptions.Clock)] TimeProvider time)
    {
        _options = options;
        _time = time;
        _key = string.IsNullOrWhiteSpace(options.SessionTokenKey) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(options.SessionTokenKey);
        if (_key.Length < 32)
        {
            throw new InvalidOperationException("Documents:SessionTokenKey must be base64 of at least 32 bytes.");
        }
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(Guid tenantId, Guid documentId, string actor)
    {
        var expires = _time.GetUtcNow().Add(_options.SessionTokenLifetime);
        var payload = Encoding.UTF8.GetBytes($"{tenantId:N}.{documentId:N}.{expires.ToUnixTimeSeconds()}.{actor}");
        return (WebEncoders.Base64UrlEncode(payload) + "." + WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, payload)), expires);
    }

    /// <summary>The tenant and actor the token was issued to, when it is genuine, unexpired and for <paramref name="documentId"/>.</summary>
    public (Guid TenantId, string Actor)? Validate(string? token, Guid documentId)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0)
        {
            return null;
        }

        try
        {
            var payload = WebEncoders.Base64UrlDecode(token!, 0, dot);
            var mac = WebEncoders.Base64UrlDecode(token!, dot + 1, token!.Length - dot - 1);
            if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
            {
                return null;
            }

            var parts = Encoding.UTF8.GetString(payload).Split('.', 4);
            var expired = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)) <= _time.GetUtcNow();
            return expired || Guid.ParseExact(parts[1], "N") != documentId ? null : (Guid.ParseExact(parts[0], "N"), parts[3]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BacBos.Consumers.Activation.Drivers.Data.S3;

/// <summary>
/// AWS Signature Version 4 for S3 requests without a body (header-based: <c>Authorization</c>, <c>x-amz-date</c>,
/// <c>x-amz-content-sha256</c>). Needed because the few S3 reads the driver does itself (listing, versioning and
/// lifecycle status) go around the Minio SDK; checked against the examples in AWS's S3 signing documentation.
/// </summary>
public sealed class SigV4Signer(string accessKey, string secretKey, string region)
{
    public const string EmptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Adds the signing headers to a body-less request whose <see cref="HttpRequestMessage.RequestUri"/> is absolute.</summary>
    public void Sign(HttpRequestMessage request, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{amzDate[..8]}/{region}/s3/aws4_request";
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

        var canonicalRequest = string.Join('\n',
            request.Method.Method,
            CanonicalPath(uri),
            CanonicalQuery(uri),
            $"host:{host}",
            $"x-amz-content-sha256:{EmptyPayloadSha256}",
            $"x-amz-date:{amzDate}",
            string.Empty,
            SignedHeaders,
            EmptyPayloadSha256);
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), amzDate[..8]);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));

        request.Headers.Host = host;
        request.Headers.Add("x-amz-date", amzDate);
        request.Headers.Add("x-amz-content-sha256", EmptyPayloadSha256);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={SignedHeaders}, Signature={signature}");
    }

    private const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date";

    /// <summary>Each path segment percent-encoded once (S3 does not double-encode).</summary>
    private static string CanonicalPath(Uri uri)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        return string.Join('/', path.Split('/').Select(Encode));
    }

    /// <summary>Parameters sorted by encoded name, then value; a valueless parameter signs as <c>name=</c>.</summary>
    private static string CanonicalQuery(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: Encode(name), Value: Encode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>RFC 3986 unreserved characters stay; everything else is <c>%XX</c> of its UTF-8 bytes (upper-case hex).</summary>
    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

using System.Net;
using System.Xml.Linq;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Data.S3;

/// <summary>
/// The S3 reads the driver makes over plain signed HTTP instead of through Minio 7.0.0: bucket listings (Minio's
/// listing yields nothing when a server, like s3rver, answers in a non-standard XML namespace) and the versioning and
/// lifecycle status (where an unsupported feature must be told apart from "not set"). XML is read by local element
/// names, so the namespace a server uses does not matter.
/// </summary>
public sealed class S3BucketReader(HttpClient http, Uri baseUri, SigV4Signer signer, TimeProvider time)
{
    /// <summary>An object (or, on a versioned bucket, one version or delete marker) to delete.</summary>
    public sealed record Entry(string Key, string? VersionId);

    /// <summary>
    /// The bucket's versioning status: <c>Enabled</c>, <c>Suspended</c>, empty (never enabled), or null when the server
    /// does not implement bucket versioning.
    /// </summary>
    public async Task<string?> VersioningAsync(string bucket, CancellationToken cancellationToken)
    {
        var (status, xml) = await GetAsync(bucket, "versioning", cancellationToken);
        if (IsUnsupported(status, xml, "VersioningConfiguration"))
        {
            return null;
        }

        Ensure(status, xml, bucket, "versioning");
        return Child(xml!.Root!, "Status") ?? string.Empty;
    }

    /// <summary>The IDs of the bucket's lifecycle rules (empty when it has none), or null when the server has no lifecycles.</summary>
    public async Task<IReadOnlyList<string>?> LifecycleRuleIdsAsync(string bucket, CancellationToken cancellationToken)
    {
        var (status, xml) = await GetAsync(bucket, "lifecycle", cancellationToken);
        if (IsUnsupported(status, xml, "LifecycleConfiguration"))
        {
            return null;
        }

        if (status == HttpStatusCode.NotFound && ErrorCode(xml) == "NoSuchLifecycleConfiguration")
        {
            return [];
        }

        Ensure(status, xml, bucket, "lifecycle");
        return xml!.Root!.Elements().Where(e => e.Name.LocalName == "Rule").Select(r => Child(r, "ID") ?? string.Empty).ToList();
    }

    /// <summary>
    /// Up to 1,000 entries still in the bucket: object versions and delete markers when <paramref name="versions"/>,
    /// otherwise current objects. Only first pages are ever needed (list, delete, list again), so this is the original
    /// ListObjects, which needs no continuation token (s3rver 3.7.1 makes ListObjectsV2 tokens with DES, which Node's
    /// OpenSSL 3 refuses unless started with its legacy provider).
    /// </summary>
    public async Task<IReadOnlyList<Entry>> FirstPageAsync(string bucket, bool versions, CancellationToken cancellationToken)
    {
        var (status, xml) = await GetAsync(bucket, versions ? "versions" : "max-keys=1000", cancellationToken);
        Ensure(status, xml, bucket, versions ? "list versions" : "list objects");
        var wanted = versions ? new[] { "Version", "DeleteMarker" } : ["Contents"];
        return xml!.Root!.Elements()
            .Where(e => wanted.Contains(e.Name.LocalName))
            .Select(e => new Entry(Child(e, "Key") ?? string.Empty, versions ? Child(e, "VersionId") : null))
            .ToList();
    }

    private async Task<(HttpStatusCode Status, XDocument? Xml)> GetAsync(string bucket, string query, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"{SigV4Signer.Encode(bucket)}?{query}"));
        signer.Sign(request, time.GetUtcNow());
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        XDocument? xml = null;
        if (body.TrimStart().StartsWith('<'))
        {
            try
            {
                xml = XDocument.Parse(body);
            }
            catch (System.Xml.XmlException)
            {
                // Left null: reported with the status code below.
            }
        }

        return (response.StatusCode, xml);
    }

    /// <summary>501 NotImplemented, or a successful answer that is not the document asked for (s3rver lists the bucket instead).</summary>
    private static bool IsUnsupported(HttpStatusCode status, XDocument? xml, string expectedRoot) =>
        status == HttpStatusCode.NotImplemented
        || ErrorCode(xml) == "NotImplemented"
        || ((int)status is >= 200 and < 300 && xml?.Root?.Name.LocalName != expectedRoot);

    /// <summary>Success passes; 4xx other than throttling is permanent (credentials, policy); the rest is transient.</summary>
    private static void Ensure(HttpStatusCode status, XDocument? xml, string bucket, string what)
    {
        if ((int)status is >= 200 and < 300 && xml?.Root is not null)
        {
            return;
        }

        var message = $"S3 {what} on bucket {bucket}: HTTP {(int)status} {ErrorCode(xml) ?? "(no error code)"}";
        if ((int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
        {
            throw new PermanentStepException(message);
        }

        throw new HttpRequestException(message, null, status);
    }

    private static string? ErrorCode(XDocument? xml) => xml?.Root?.Name.LocalName == "Error" ? Child(xml.Root, "Code") : null;

    private static string? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;
}

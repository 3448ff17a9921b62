using Minio;

namespace BacBos.Consumers.Activation.Drivers.Data.S3;

/// <summary>
/// Configuration section <c>Drivers:S3</c>: the S3-compatible endpoint that holds the tenants' buckets. The driver is
/// registered only when <see cref="Endpoint"/> is set.
/// </summary>
public sealed class S3Options
{
    public const string Section = "Drivers:S3";

    /// <summary><c>host:port</c>, or a URL (<c>http://host:port</c>), whose scheme then decides TLS.</summary>
    public string? Endpoint { get; set; }

    public string AccessKey { get; set; } = string.Empty;

    public string SecretKey { get; set; } = string.Empty;

    public string Region { get; set; } = "us-east-1";

    /// <summary>TLS to the endpoint; when unset, taken from the endpoint's URL scheme (plain <c>host:port</c> means TLS).</summary>
    public bool? UseSsl { get; set; }

    /// <summary>Objects in the backups bucket expire after this many days (lifecycle rule, where the server has lifecycles).</summary>
    public int BackupRetentionDays { get; set; } = 35;

    /// <summary>Replaced or deleted object versions are kept this many days (versioned servers only).</summary>
    public int NoncurrentVersionDays { get; set; } = 30;

    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The endpoint as a base URL (<c>http(s)://host:port/</c>).</summary>
    public Uri BaseUri()
    {
        var endpoint = Endpoint?.Trim() ?? throw new InvalidOperationException($"{Section}:Endpoint is not set.");
        var withScheme = endpoint.Contains("://", StringComparison.Ordinal)
            ? endpoint
            : (UseSsl == false ? "http://" : "https://") + endpoint;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{Section}:Endpoint '{endpoint}' is neither host:port nor an http(s) URL.");
        }

        var ssl = UseSsl ?? uri.Scheme == "https";
        return new UriBuilder(ssl ? "https" : "http", uri.Host, uri.IsDefaultPort ? -1 : uri.Port).Uri;
    }

    /// <summary>A Minio client for the endpoint (TLS from <see cref="BaseUri"/>, region, credentials and timeout from these options).</summary>
    public IMinioClient BuildClient()
    {
        var baseUri = BaseUri();
        return new MinioClient()
            .WithEndpoint(baseUri.Host, baseUri.Port)
            .WithCredentials(AccessKey, SecretKey)
            .WithRegion(Region)
            .WithSSL(baseUri.Scheme == "https")
            .WithTimeout(TimeoutSeconds * 1000)
            .Build();
    }
}

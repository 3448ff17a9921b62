using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BacBos.Platform.Security;

namespace BacBos.Consumers.Documents.Exports.Storage;

/// <summary>
/// The embedded default: exports as files under <c>{folder}/{tenant}/exports/…</c>, downloaded through the gateway's
/// <c>/api/v1/downloads/exports/…</c> with an HMAC-SHA256 signature over the path and expiry (the key derived from the
/// data key), so a link works without an API key until it expires and cannot be altered to reach another file.
/// </summary>
public sealed class LocalFolderExportStorage(string folder, Uri publicBaseUrl, SecretProtector secrets) : IExportStorage
{
    public const string RoutePrefix = "/api/v1/downloads/exports";
    private readonly byte[] _key = secrets.DeriveKey("bacbos/document-export-downloads/v1");

    public async Task<string> PutAsync(ExportObject file, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, content, cancellationToken);
        File.Move(temp, path, overwrite: true);
        return new Uri(Path.GetFullPath(path)).AbsoluteUri;
    }

    public Task<Uri> DownloadUrlAsync(ExportObject file, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var path = DownloadPath(file);
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Task.FromResult(new Uri(publicBaseUrl, $"{path}?expires={expires}&signature={Sign(path, expires)}"));
    }

    /// <summary>The file behind a signed download path, or why not: <c>forbidden</c> (bad signature) or <c>expired</c>.</summary>
    public (string? Path, string? Problem) Resolve(ExportObject file, string? expires, string? signature, DateTimeOffset now)
    {
        var expected = Sign(DownloadPath(file), expires ?? string.Empty);
        if (signature is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return (null, "forbidden");
        }

        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) || now.ToUnixTimeSeconds() > unix)
        {
            return (null, "expired");
        }

        var path = PathOf(file);
        return File.Exists(path) ? (path, null) : (null, "missing");
    }

    public static string DownloadPath(ExportObject file) =>
        $"{RoutePrefix}/{file.TenantId:N}/{file.DocumentId:N}/{file.ExportId:N}/{Uri.EscapeDataString(file.FileName)}";

    private string PathOf(ExportObject file)
    {
        var name = Path.GetFileName(file.FileName);
        if (name.Length == 0 || name != file.FileName)
        {
            throw new ArgumentException($"'{file.FileName}' is not a plain file name.", nameof(file));
        }

        return Path.Combine(folder, file.TenantId.ToString("N"), "exports", file.DocumentId.ToString("N"), file.ExportId.ToString("N"), name);
    }

    private string Sign(string path, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{path}\n{expires}")));
}

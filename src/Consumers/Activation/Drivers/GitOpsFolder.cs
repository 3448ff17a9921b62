using System.Security.Cryptography;
using System.Text;
using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers;

/// <summary>
/// Writes rendered manifests under <c>{Directory}/tenants/{tenant-id}/{area}/</c>. Files are written atomically
/// (temp file + rename) and only when their content changed, so a repeat is a no-op.
/// </summary>
public sealed class GitOpsFolder(GitOpsOptions options)
{
    public string TenantRoot(TenantContext tenant) => Path.Combine(Path.GetFullPath(options.Directory), "tenants", tenant.TenantId.ToString("D"));

    public string AreaPath(TenantContext tenant, string area) => Path.Combine(TenantRoot(tenant), area);

    /// <summary>The area's path inside the GitOps tree (what the API shows; never the server's absolute path).</summary>
    public static string RelativeAreaPath(TenantContext tenant, string area) => $"tenants/{tenant.TenantId:D}/{area}";

    /// <summary>Writes every file of an area and removes files of that area no longer rendered. Returns the files changed.</summary>
    public async Task<IReadOnlyList<string>> WriteAreaAsync(TenantContext tenant, string area, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var root = AreaPath(tenant, area);
        Directory.CreateDirectory(root);
        var changed = new List<string>();
        foreach (var (relative, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (File.Exists(path) && Hash(await File.ReadAllTextAsync(path, cancellationToken)) == Hash(content))
            {
                continue;
            }

            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllTextAsync(temp, content, cancellationToken);
            File.Move(temp, path, overwrite: true);
            changed.Add(relative);
        }

        foreach (var stale in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(root, f))
                     .Where(f => !files.ContainsKey(f))
                     .ToList())
        {
            File.Delete(Path.Combine(root, stale));
            changed.Add(stale + " (removed)");
        }

        return changed;
    }

    /// <summary>Removes an area; returns false when it did not exist.</summary>
    public bool RemoveArea(TenantContext tenant, string area)
    {
        var root = AreaPath(tenant, area);
        if (!Directory.Exists(root))
        {
            return false;
        }

        Directory.Delete(root, recursive: true);
        var tenantRoot = TenantRoot(tenant);
        if (Directory.Exists(tenantRoot) && !Directory.EnumerateFileSystemEntries(tenantRoot).Any())
        {
            Directory.Delete(tenantRoot);
        }

        return true;
    }

    private static string Hash(string content) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}

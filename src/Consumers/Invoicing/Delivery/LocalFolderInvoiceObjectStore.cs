using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Platform.Data;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// The embedded default's object storage: <c>{Database:DataDirectory}/objects/{bucket}/{key}</c>, the same bucket
/// names as on S3. Writes go to a temporary file first and are moved into place, so a reader never sees half a file.
/// </summary>
public sealed class LocalFolderInvoiceObjectStore(Database database) : IInvoiceObjectStore
{
    public async Task PutAsync(Guid tenantId, string key, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> GetAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId, key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private string PathOf(Guid tenantId, string key)
    {
        if (key.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{key}' is not a plain object key.", nameof(key));
        }

        return Path.Combine(Path.GetFullPath(database.Options.DataDirectory), "objects", TenantBuckets.Files(tenantId), Path.Combine(key.Split('/')));
    }
}

using BacBos.Consumers.Activation.Drivers.Data.S3;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace BacBos.Consumers.Invoicing.Delivery;

/// <summary>
/// The tenant's files bucket on the S3 server of activation step 5 (<c>Drivers:S3</c>), through the Minio SDK. The
/// bucket is made when missing (a tenant activated before the S3 driver was configured).
/// </summary>
public sealed class S3InvoiceObjectStore : IInvoiceObjectStore, IDisposable
{
    private readonly IMinioClient _minio;
    private readonly string _region;

    public S3InvoiceObjectStore(S3Options options)
    {
        _region = options.Region;
        _minio = options.NewMinioClient();
    }

    public async Task PutAsync(Guid tenantId, string key, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var bucket = TenantBuckets.Files(tenantId);
        if (!await _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken))
        {
            try
            {
                await _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket).WithLocation(_region), cancellationToken);
            }
            catch (MinioException ex) when (ex.Response?.Code is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Made concurrently.
            }
        }

        using var stream = new MemoryStream(content, writable: false);
        await _minio.PutObjectAsync(
            new PutObjectArgs().WithBucket(bucket).WithObject(key).WithStreamData(stream).WithObjectSize(content.Length).WithContentType(contentType), cancellationToken);
    }

    public async Task<byte[]?> GetAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        try
        {
            await _minio.GetObjectAsync(
                new GetObjectArgs().WithBucket(TenantBuckets.Files(tenantId)).WithObject(key).WithCallbackStream((s, ct) => s.CopyToAsync(buffer, ct)), cancellationToken);
        }
        catch (Exception ex) when (ex is ObjectNotFoundException or BucketNotFoundException)
        {
            return null;
        }

        return buffer.ToArray();
    }

    public void Dispose() => _minio.Dispose();
}

using BacBos.Consumers.Activation.Drivers.Data.S3;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace BacBos.Consumers.Documents.Exports.Storage;

/// <summary>
/// Exports in the tenant's files bucket (<see cref="TenantBuckets.Files"/>, made by activation step 5) through the
/// Minio SDK; download URLs are presigned GETs. A bucket that is missing (a tenant activated before S3 was configured)
/// is created.
/// </summary>
public sealed class S3ExportStorage(S3Options options, TimeProvider time) : IExportStorage, IDisposable
{
    private readonly IMinioClient _minio = options.NewMinioClient();

    public async Task<string> PutAsync(ExportObject file, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var bucket = TenantBuckets.Files(file.TenantId);
        if (!await _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken))
        {
            try
            {
                await _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket).WithLocation(options.Region), cancellationToken);
            }
            catch (MinioException ex) when (ex.Response?.Code is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Made concurrently: the goal is reached.
            }
        }

        using var stream = new MemoryStream(content, writable: false);
        await _minio.PutObjectAsync(
            new PutObjectArgs().WithBucket(bucket).WithObject(file.Key).WithStreamData(stream).WithObjectSize(content.LongLength).WithContentType(contentType),
            cancellationToken);
        return $"s3://{bucket}/{file.Key}";
    }

    public async Task<Uri> DownloadUrlAsync(ExportObject file, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Clamp((expiresAt - time.GetUtcNow()).TotalSeconds, 1, 7 * 24 * 3600);
        var url = await _minio.PresignedGetObjectAsync(
            new PresignedGetObjectArgs().WithBucket(TenantBuckets.Files(file.TenantId)).WithObject(file.Key).WithExpiry(seconds));
        return new Uri(url);
    }

    public void Dispose() => _minio.Dispose();
}

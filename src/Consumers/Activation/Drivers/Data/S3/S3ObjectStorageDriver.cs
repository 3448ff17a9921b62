using System.Globalization;
using BacBos.Consumers.Activation.Steps;
using Minio;
using Minio.DataModel.Args;
using Minio.DataModel.ILM;
using Minio.Exceptions;

namespace BacBos.Consumers.Activation.Drivers.Data.S3;

/// <summary>
/// Step 5 on an S3-compatible server through the Minio SDK: the tenant's files and backups buckets, with versioning and
/// lifecycle rules where the server implements them (otherwise the outputs say "not supported by the server" — the
/// buckets are still made). Compensation empties each bucket (every version and delete marker on a versioned bucket)
/// and removes it.
/// </summary>
public sealed class S3ObjectStorageDriver : IObjectStorageDriver, IDisposable
{
    private const string Unsupported = "not supported by the server";
    private readonly S3Options _options;
    private readonly IMinioClient _minio;
    private readonly HttpClient _http;
    private readonly S3BucketReader _reader;

    public S3ObjectStorageDriver(S3Options options, TimeProvider time)
    {
        _options = options;
        var baseUri = options.BaseUri();
        _minio = options.BuildClient();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        _reader = new S3BucketReader(_http, baseUri, new SigV4Signer(options.AccessKey, options.SecretKey, options.Region), time);
    }

    public string Name => "s3";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        string? versioning = null, lifecycle = null;
        foreach (var bucket in TenantBuckets.All(tenant.TenantId))
        {
            if (!await ExistsAsync(bucket, cancellationToken))
            {
                await MakeAsync(bucket, cancellationToken);
                changes.Add($"created {bucket}");
            }

            versioning = await EnsureVersioningAsync(bucket, changes, cancellationToken);
            lifecycle = await EnsureLifecycleAsync(bucket, changes, cancellationToken);
        }

        return StepOutcome.Done(
            changes.Count == 0 ? "buckets already provisioned" : string.Join(", ", changes),
            new Dictionary<string, string>
            {
                ["files_bucket"] = TenantBuckets.Files(tenant.TenantId),
                ["backups_bucket"] = TenantBuckets.Backups(tenant.TenantId),
                ["versioning"] = versioning ?? Unsupported,
                ["lifecycle"] = lifecycle ?? Unsupported,
                ["changed"] = changes.Count.ToString(CultureInfo.InvariantCulture),
            });
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var bucket in TenantBuckets.All(tenant.TenantId))
        {
            if (!await ExistsAsync(bucket, cancellationToken))
            {
                continue;
            }

            var objects = await EmptyAsync(bucket, cancellationToken);
            try
            {
                await Call(() => _minio.RemoveBucketAsync(new RemoveBucketArgs().WithBucket(bucket), cancellationToken));
            }
            catch (BucketNotFoundException)
            {
                // Removed meanwhile (a concurrent compensation): the goal is reached.
            }

            removed.Add($"{bucket} ({objects} object(s))");
        }

        return removed.Count == 0 ? "s3: no buckets to remove" : "s3: removed " + string.Join(", ", removed);
    }

    /// <summary>
    /// Deletes everything in the bucket a page at a time (multi-object delete) until a listing comes back empty; returns
    /// how many entries it saw. A delete that fails with a server error is followed by a fresh listing (part of it may
    /// have happened: s3rver 3.7.1 answers 500 when its parallel deletes race to remove the same emptied folder), up to
    /// three times in a row; a page that is listed again after a successful delete fails instead of looping.
    /// </summary>
    private async Task<int> EmptyAsync(string bucket, CancellationToken cancellationToken)
    {
        var versioned = await _reader.VersioningAsync(bucket, cancellationToken) is "Enabled" or "Suspended";
        var seen = new HashSet<S3BucketReader.Entry>();
        IReadOnlyList<S3BucketReader.Entry>? deleted = null;
        var failures = 0;
        while (true)
        {
            var page = await _reader.FirstPageAsync(bucket, versioned, cancellationToken);
            if (page.Count == 0)
            {
                return seen.Count;
            }

            if (deleted is not null && page.SequenceEqual(deleted))
            {
                throw new InvalidOperationException($"S3 bucket {bucket}: {page.Count} object(s) are still listed after being deleted");
            }

            seen.UnionWith(page);
            var args = new RemoveObjectsArgs().WithBucket(bucket);
            args = versioned
                ? args.WithObjectsVersions(page.Select(e => new Tuple<string, string>(e.Key, e.VersionId ?? "null")).ToList())
                : args.WithObjects(page.Select(e => e.Key).ToList());
            IList<DeleteError> errors;
            try
            {
                errors = await Call(() => _minio.RemoveObjectsAsync(args, cancellationToken));
            }
            catch (MinioException ex) when (ex.Response?.Code is "InternalError" or "SlowDown" or "ServiceUnavailable" && ++failures < 3)
            {
                deleted = null;
                continue;
            }

            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"S3 bucket {bucket}: deleting {errors[0].Key} failed with {errors[0].Code} ({errors.Count} error(s))");
            }

            deleted = page;
            failures = 0;
        }
    }

    private async Task<string?> EnsureVersioningAsync(string bucket, List<string> changes, CancellationToken cancellationToken)
    {
        var status = await _reader.VersioningAsync(bucket, cancellationToken);
        if (status is null)
        {
            return null;
        }

        if (status != "Enabled")
        {
            await Call(() => _minio.SetVersioningAsync(new SetVersioningArgs().WithBucket(bucket).WithVersioningEnabled(), cancellationToken));
            changes.Add($"versioning on {bucket}");
        }

        return "enabled";
    }

    private async Task<string?> EnsureLifecycleAsync(string bucket, List<string> changes, CancellationToken cancellationToken)
    {
        var ids = await _reader.LifecycleRuleIdsAsync(bucket, cancellationToken);
        if (ids is null)
        {
            return null;
        }

        var isBackups = bucket.EndsWith("-backups", StringComparison.Ordinal);
        var rule = isBackups
            ? $"bacbos-expire-{_options.BackupRetentionDays}d-noncurrent-{_options.NoncurrentVersionDays}d"
            : $"bacbos-noncurrent-{_options.NoncurrentVersionDays}d";
        if (!ids.Contains(rule))
        {
            var lifecycleRule = new LifecycleRule(
                new AbortIncompleteMultipartUpload(7),
                rule,
                isBackups ? new Expiration { Days = _options.BackupRetentionDays } : null,
                null,
                new RuleFilter(null, string.Empty, null),
                new NoncurrentVersionExpiration((uint)_options.NoncurrentVersionDays, null),
                null,
                LifecycleRule.LifecycleRuleStatusEnabled);
            await Call(() => _minio.SetBucketLifecycleAsync(
                new SetBucketLifecycleArgs().WithBucket(bucket).WithLifecycleConfiguration(new LifecycleConfiguration([lifecycleRule])),
                cancellationToken));
            changes.Add($"lifecycle on {bucket}");
        }

        return $"backups expire after {_options.BackupRetentionDays} d; old versions after {_options.NoncurrentVersionDays} d";
    }

    private Task<bool> ExistsAsync(string bucket, CancellationToken cancellationToken) =>
        Call(() => _minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken));

    private async Task MakeAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await Call(() => _minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket).WithLocation(_options.Region), cancellationToken));
        }
        catch (MinioException ex) when (ex.Response?.Code is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Made by a concurrent apply — unless the name belongs to someone else, which the existence check tells.
            if (!await ExistsAsync(bucket, cancellationToken))
            {
                throw new PermanentStepException($"S3 bucket name {bucket} is taken by another account");
            }
        }
    }

    /// <summary>Credential and validation errors are permanent; connection and server errors stay transient.</summary>
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is AuthorizationException or AccessDeniedException or ForbiddenException
            or InvalidBucketNameException or InvalidEndpointException)
        {
            throw new PermanentStepException($"S3: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static Task Call(Func<Task> call) => Call(async () =>
    {
        await call();
        return true;
    });

    public void Dispose()
    {
        _minio.Dispose();
        _http.Dispose();
    }
}

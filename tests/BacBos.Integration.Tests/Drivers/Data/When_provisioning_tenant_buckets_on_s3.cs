using System.Text;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Consumers.Activation.Steps;
using Minio.DataModel.Args;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>The S3 object-storage driver against s3rver (no versioning, no lifecycles).</summary>
public sealed class When_provisioning_tenant_buckets_on_s3(DataServers servers) : IClassFixture<DataServers>, IDisposable
{
    private readonly S3ObjectStorageDriver _driver = new(DataServers.S3Options, TimeProvider.System);

    [Fact]
    public async Task Should_create_both_buckets_and_report_what_the_server_lacks()
    {
        var tenant = DataServers.NewTenant();
        try
        {
            var outcome = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.False(outcome.Skipped);
            Assert.Equal("2", outcome.Outputs!["changed"]);
            Assert.Equal($"tenant-{tenant.TenantId:N}-files", outcome.Outputs["files_bucket"]);
            Assert.Equal($"tenant-{tenant.TenantId:N}-backups", outcome.Outputs["backups_bucket"]);
            Assert.Equal("not supported by the server", outcome.Outputs["versioning"]);
            Assert.Equal("not supported by the server", outcome.Outputs["lifecycle"]);
            Assert.True(await servers.BucketExistsAsync(TenantBuckets.Files(tenant.TenantId)));
            Assert.True(await servers.BucketExistsAsync(TenantBuckets.Backups(tenant.TenantId)));
            Assert.DoesNotContain(DataServers.S3Options.SecretKey, string.Join(" ", outcome.Outputs.Values) + outcome.Detail, StringComparison.Ordinal);
        }
        finally
        {
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_change_nothing_when_applied_again()
    {
        var tenant = DataServers.NewTenant();
        try
        {
            await _driver.ApplyAsync(tenant, CancellationToken.None);
            await PutAsync(TenantBuckets.Files(tenant.TenantId), "kept.txt", "still here");

            var repeat = await _driver.ApplyAsync(tenant, CancellationToken.None);

            Assert.Equal("0", repeat.Outputs!["changed"]);
            Assert.Equal("buckets already provisioned", repeat.Detail);
            var stat = await servers.Minio.StatObjectAsync(new StatObjectArgs().WithBucket(TenantBuckets.Files(tenant.TenantId)).WithObject("kept.txt"));
            Assert.Equal(Encoding.UTF8.GetByteCount("still here"), stat.Size);
        }
        finally
        {
            await _driver.RemoveAsync(tenant, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Should_remove_buckets_that_hold_objects()
    {
        var tenant = DataServers.NewTenant();
        await _driver.ApplyAsync(tenant, CancellationToken.None);
        var files = TenantBuckets.Files(tenant.TenantId);
        var backups = TenantBuckets.Backups(tenant.TenantId);
        string[] keys = ["report.pdf", "invoices/2026/11/inv 001.pdf", "odd+name&key=1.txt", "ünïcode/файл.txt"];
        foreach (var key in keys)
        {
            await PutAsync(files, key, "content of " + key);
        }

        // More than one listing page (1,000 keys) in the backups bucket.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1010), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await PutAsync(backups, $"daily/{i:D4}.dump", "x"));

        var removed = await _driver.RemoveAsync(tenant, CancellationToken.None);

        Assert.Contains($"{files} ({keys.Length} object(s))", removed, StringComparison.Ordinal);
        Assert.Contains($"{backups} (1010 object(s))", removed, StringComparison.Ordinal);
        Assert.False(await servers.BucketExistsAsync(files));
        Assert.False(await servers.BucketExistsAsync(backups));
        Assert.Empty(await servers.LeftoversAsync(tenant.TenantId));
    }

    [Fact]
    public async Task Should_succeed_removing_when_nothing_exists()
    {
        var tenant = DataServers.NewTenant();

        var removed = await _driver.RemoveAsync(tenant, CancellationToken.None);

        Assert.Equal("s3: no buckets to remove", removed);
    }

    [Fact]
    public async Task Should_fail_permanently_with_unknown_credentials()
    {
        var options = DataServers.S3Options;
        options.AccessKey = "NOT-A-KEY";
        using var driver = new S3ObjectStorageDriver(options, TimeProvider.System);

        await Assert.ThrowsAsync<PermanentStepException>(() => driver.ApplyAsync(DataServers.NewTenant(), CancellationToken.None));
    }

    private async Task PutAsync(string bucket, string key, string content)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        await servers.Minio.PutObjectAsync(new PutObjectArgs()
            .WithBucket(bucket).WithObject(key).WithStreamData(stream).WithObjectSize(stream.Length).WithContentType("text/plain"));
    }

    public void Dispose() => _driver.Dispose();
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacBos.Consumers.Activation.Drivers.Data.ClickHouse;
using BacBos.Consumers.Activation.Drivers.Data.Redis;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Platform.Security;
using Microsoft.Extensions.Configuration;
using Minio;
using Minio.DataModel.Args;
using StackExchange.Redis;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>
/// The real step-5 servers of the test environment (Redis, s3rver, ClickHouse; <c>scripts/servers.sh</c>): the driver
/// configuration keys pointing at them, and probes that look at the servers directly — above all
/// <see cref="LeftoversAsync"/>, "what is still there for this tenant", for compensation checks. Use as a class fixture.
/// </summary>
public sealed class DataServers : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ConnectionMultiplexer? _redis;
    private IMinioClient? _minio;

    /// <summary><c>Drivers:Redis:*</c>, <c>Drivers:S3:*</c> and <c>Drivers:ClickHouse:*</c> for the test servers.</summary>
    public static IReadOnlyDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>
    {
        [RedisOptions.Section + ":ConnectionString"] = TestEnvironment.Redis,
        [S3Options.Section + ":Endpoint"] = TestEnvironment.S3.ToString(),
        [S3Options.Section + ":AccessKey"] = TestEnvironment.S3AccessKey,
        [S3Options.Section + ":SecretKey"] = TestEnvironment.S3SecretKey,
        [S3Options.Section + ":Region"] = "us-east-1",
        [S3Options.Section + ":UseSsl"] = TestEnvironment.S3.Scheme == "https" ? "true" : "false",
        [ClickHouseOptions.Section + ":Url"] = TestEnvironment.ClickHouse.ToString(),
        [ClickHouseOptions.Section + ":User"] = TestEnvironment.ClickHouseUser,
        [ClickHouseOptions.Section + ":Password"] = TestEnvironment.ClickHousePassword,
    };

    /// <summary>A tenant no test has used yet.</summary>
    public static TenantContext NewTenant() =>
        new(Guid.NewGuid(), Guid.NewGuid(), new BusinessActivationInput("Data Driver Test", "GBR", "GBP", "Retail", [], []), ["crm"]);

    public static IConfiguration AsConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(Configuration).Build();

    public static RedisOptions RedisOptions => Bind<RedisOptions>(RedisOptions.Section);

    public static S3Options S3Options => Bind<S3Options>(S3Options.Section);

    public static ClickHouseOptions ClickHouseOptions => Bind<ClickHouseOptions>(ClickHouseOptions.Section);

    /// <summary>Admin connection to Redis.</summary>
    public ConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("not initialised");

    /// <summary>Minio client on s3rver with the test credentials.</summary>
    public IMinioClient Minio => _minio ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        var config = ConfigurationOptions.Parse(TestEnvironment.Redis);
        config.AllowAdmin = true;
        try
        {
            _redis = await ConnectionMultiplexer.ConnectAsync(config);
        }
        catch (RedisConnectionException ex)
        {
            throw new InvalidOperationException($"Redis is not usable at {config.EndPoints.First()} ({ex.Message}). Run scripts/servers.sh and `source .tmp/test-env.sh` (BACBOS_TEST_REDIS).", ex);
        }

        _minio = new MinioClient()
            .WithEndpoint(TestEnvironment.S3.Host, TestEnvironment.S3.Port)
            .WithCredentials(TestEnvironment.S3AccessKey, TestEnvironment.S3SecretKey)
            .WithRegion("us-east-1")
            .WithSSL(TestEnvironment.S3.Scheme == "https")
            .Build();
    }

    /// <summary>
    /// Everything of the tenant's that is still on the servers: its Redis ACL user and keys (any logical database),
    /// buckets, ClickHouse database and, when <paramref name="secrets"/> is given, its Redis password secret. Empty = clean.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync(Guid tenantId, TenantSecrets? secrets = null)
    {
        var left = new List<string>();
        if (await RedisUserAsync(tenantId) is not null)
        {
            left.Add($"redis user {TenantRedisAcl.UserName(tenantId)}");
        }

        var keys = await RedisKeysAsync(tenantId);
        if (keys.Count > 0)
        {
            left.Add($"{keys.Count} redis key(s): {string.Join(", ", keys.Take(5))}");
        }

        foreach (var bucket in TenantBuckets.All(tenantId))
        {
            if (await BucketExistsAsync(bucket))
            {
                left.Add($"bucket {bucket}");
            }
        }

        if (await ClickHouseDatabaseExistsAsync(tenantId))
        {
            left.Add($"clickhouse database {TenantAnalyticsSchema.Database(tenantId)}");
        }

        if (secrets is not null && await secrets.GetAsync(tenantId, TenantRedisAcl.SecretName, CancellationToken.None) is not null)
        {
            left.Add($"secret {TenantRedisAcl.SecretName}");
        }

        return left;
    }

    /// <summary><c>ACL GETUSER</c> as one line, or null when the user does not exist.</summary>
    public async Task<string?> RedisUserAsync(Guid tenantId)
    {
        var result = await Redis.GetDatabase().ExecuteAsync("ACL", "GETUSER", TenantRedisAcl.UserName(tenantId));
        return result.IsNull ? null : string.Join(" ", Flatten(result));
    }

    /// <summary>The tenant's keys (<c>tenant:{id:N}:*</c>) in every logical database, as <c>db/key</c>.</summary>
    public async Task<IReadOnlyList<string>> RedisKeysAsync(Guid tenantId)
    {
        var keys = new List<string>();
        var server = Redis.GetServers().First(s => !s.IsReplica);
        for (var db = 0; db < server.DatabaseCount; db++)
        {
            await foreach (var key in server.KeysAsync(db, TenantRedisAcl.KeyPattern(tenantId)))
            {
                keys.Add($"{db}/{key}");
            }
        }

        return keys;
    }

    public Task<bool> BucketExistsAsync(string bucket) => Minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket));

    public static async Task<bool> ClickHouseDatabaseExistsAsync(Guid tenantId) =>
        (await ClickHouseColumnAsync($"SELECT name FROM system.databases WHERE name = '{TenantAnalyticsSchema.Database(tenantId)}'")).Count > 0;

    /// <summary>Runs a query on ClickHouse over HTTP and returns the first column of each row.</summary>
    public static async Task<IReadOnlyList<string>> ClickHouseColumnAsync(string sql)
    {
        var body = await ClickHouseAsync(sql + " FORMAT JSONCompact");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").EnumerateArray().Select(row => row[0].ToString()).ToList();
    }

    /// <summary>Sends a statement to ClickHouse's HTTP interface as the test user; fails on a non-2xx answer.</summary>
    public static async Task<string> ClickHouseAsync(string sql)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TestEnvironment.ClickHouse) { Content = new StringContent(sql, Encoding.UTF8) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestEnvironment.ClickHouseUser}:{TestEnvironment.ClickHousePassword}")));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"ClickHouse HTTP {(int)response.StatusCode}: {text}");
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _minio?.Dispose();
    }

    private static T Bind<T>(string section)
        where T : new() => AsConfiguration().GetSection(section).Get<T>() ?? new T();

    private static IEnumerable<string> Flatten(RedisResult result) =>
        result.Resp2Type == ResultType.Array ? ((RedisResult[])result!).SelectMany(Flatten) : [result.ToString() ?? string.Empty];
}

namespace BacBos.Integration.Tests.Infrastructure;

/// <summary>
/// Where the servers are (<c>scripts/servers.sh</c> writes <c>.tmp/test-env.sh</c>) and where the built hosts are.
/// A missing variable falls back to the local default; a server that is not there then fails the test clearly.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdmin { get; } =
        Get("BACBOS_TEST_POSTGRES", "Host=127.0.0.1;Port=5432;Username=bacbos;Password=bacbos;Database=bacbos");

    public static Uri RabbitMq { get; } = new(Get("BACBOS_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/"));

    public static Uri RabbitMqManagement { get; } = new(Get("BACBOS_TEST_RABBITMQ_MANAGEMENT", "http://127.0.0.1:15672"));

    /// <summary>StackExchange.Redis configuration of the admin (ACL-administering) connection.</summary>
    public static string Redis { get; } = Get("BACBOS_TEST_REDIS", "127.0.0.1:6379,user=default,password=bacbos");

    public static Uri ClickHouse { get; } = new(Get("BACBOS_TEST_CLICKHOUSE", "http://127.0.0.1:8123"));

    public static string ClickHouseUser { get; } = Get("BACBOS_TEST_CLICKHOUSE_USER", "bacbos");

    public static string ClickHousePassword { get; } = Get("BACBOS_TEST_CLICKHOUSE_PASSWORD", "bacbos");

    /// <summary>The s3rver endpoint (S3 API).</summary>
    public static Uri S3 { get; } = new(Get("BACBOS_TEST_S3", "http://127.0.0.1:4569"));

    public static string S3AccessKey { get; } = Get("BACBOS_TEST_S3_ACCESS_KEY", "S3RVER");

    public static string S3SecretKey { get; } = Get("BACBOS_TEST_S3_SECRET_KEY", "S3RVER");

    /// <summary>The aiosmtpd server (<c>host:port</c>) and the Maildir it writes every received message to.</summary>
    public static string Smtp { get; } = Get("BACBOS_TEST_SMTP", "127.0.0.1:8025");

    public static string SmtpMaildir { get; } = Get("BACBOS_TEST_SMTP_MAILDIR", "/var/lib/bacbos/smtp/maildir");

    /// <summary>The folder holding <c>BacBos.sln</c>, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot => LazyRoot.Value;

    /// <summary>Debug or Release: the configuration this test assembly was built with (<c>bin/{Configuration}/{tfm}/</c>).</summary>
    public static string Configuration { get; } = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;

    public static string TargetFramework { get; } = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));

    /// <summary>The build output folder of a host project under <c>src/</c> (same configuration as this assembly).</summary>
    public static string HostOutput(string project) => Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, TargetFramework);

    /// <summary>The <c>dotnet</c> executable running the tests (the SDK exports it as DOTNET_HOST_PATH).</summary>
    public static string DotnetHost
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }

    private static readonly Lazy<string> LazyRoot = new(FindRepositoryRoot);

    private static string Get(string name, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? fallback : value;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BacBos.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"BacBos.sln not found above {AppContext.BaseDirectory}");
    }
}

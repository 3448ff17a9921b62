namespace BacBos.Benchmarks.Infrastructure;

/// <summary>
/// Where the servers are (the same variables the tests read; <c>scripts/servers.sh</c> writes them to
/// <c>.tmp/test-env.sh</c>), where the built hosts are, and which external tools exist on this machine.
/// </summary>
public static class BenchEnvironment
{
    public static string PostgresAdmin { get; } =
        Get("BACBOS_TEST_POSTGRES", "Host=127.0.0.1;Port=5432;Username=bacbos;Password=bacbos;Database=bacbos");

    public static Uri RabbitMq { get; } = new(Get("BACBOS_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/"));

    public static Uri RabbitMqManagement { get; } = new(Get("BACBOS_TEST_RABBITMQ_MANAGEMENT", "http://127.0.0.1:15672"));

    /// <summary>The folder holding <c>BacBos.sln</c>, found by walking up from this assembly.</summary>
    public static string RepositoryRoot => LazyRoot.Value;

    /// <summary>Debug or Release: the configuration this assembly was built with (<c>bin/{Configuration}/{tfm}/</c>).</summary>
    public static string Configuration { get; } =
        Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;

    public static string TargetFramework { get; } = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));

    /// <summary>The build output folder of a host project under <c>src/</c> (same configuration as this assembly).</summary>
    public static string HostOutput(string project) => Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, TargetFramework);

    /// <summary>This runner's own assembly, started again as a child process for parts and helper servers.</summary>
    public static string RunnerAssembly { get; } = typeof(BenchEnvironment).Assembly.Location;

    /// <summary>The <c>dotnet</c> executable (the SDK exports it as DOTNET_HOST_PATH under <c>dotnet test</c>/<c>run</c>).</summary>
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
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : FindExecutable("dotnet") ?? "dotnet";
        }
    }

    /// <summary>An executable on PATH or in the system folders (nginx lives in /usr/sbin, often not on a user's PATH).</summary>
    public static string? FindExecutable(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]);
        foreach (var folder in folders)
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static readonly Lazy<string> LazyRoot = new(FindRepositoryRoot);

    private static string Get(string name, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? fallback : value;
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BacBos.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"BacBos.sln not found above {AppContext.BaseDirectory}");
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BacBos.Benchmarks.Report;

/// <summary>What the numbers were measured on.</summary>
public sealed record Machine(
    string Cpu,
    int Cores,
    string Memory,
    string Os,
    string Dotnet,
    string PostgreSql,
    string RabbitMq,
    string LoadGenerator,
    string Nginx,
    string Commit,
    string LoadAverageAtStart)
{
    /// <summary>The 1, 5 and 15-minute load averages (<c>/proc/loadavg</c>): another workload on the machine shows here.</summary>
    public static string LoadAverage() =>
        TryRead("/proc/loadavg") is { } text ? string.Join(' ', text.Split(' ').Take(3)) : "unknown";

    /// <summary>True when the 1-minute load average is above half the cores: the numbers would not be from an idle machine.</summary>
    public static bool Busy() =>
        double.TryParse(LoadAverage().Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var one)
        && one > Environment.ProcessorCount / 2.0;

    public static async Task<Machine> DescribeAsync(string loadGenerator, string nginx, string repositoryRoot)
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKib = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var memory = long.TryParse(memKib, out var kib) ? $"{kib / 1048576.0:0.0} GiB" : "unknown";
        var os = (FirstValue("/etc/os-release", "PRETTY_NAME", '=') ?? RuntimeInformation.OSDescription).Trim('"');
        var kernel = TryRead("/proc/sys/kernel/osrelease")?.Trim();
        return new Machine(
            cpu,
            Environment.ProcessorCount,
            memory,
            kernel is null ? os : $"{os}, Linux {kernel}",
            RuntimeInformation.FrameworkDescription,
            await Safe(Infrastructure.BenchDatabase.ServerVersionAsync),
            await Safe(Infrastructure.BenchVhost.ServerVersionAsync),
            loadGenerator,
            nginx,
            await GitCommitAsync(repositoryRoot),
            LoadAverage());
    }

    private static async Task<string> Safe(Func<Task<string>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex)
        {
            return "unknown (" + ex.Message.Split('\n')[0] + ")";
        }
    }

    private static async Task<string> GitCommitAsync(string root)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", "-C " + root + " describe --always --dirty")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? text.Trim() : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string? TryRead(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static string? FirstValue(string path, string key, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }
}

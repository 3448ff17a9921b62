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
    string CpuBusyBeforeStart)
{
    /// <summary>
    /// Share of all cores busy (<c>/proc/stat</c>) over <paramref name="window"/>, sampled before the run: another
    /// workload on the machine shows here (everything — servers, hosts, load generator — shares these cores).
    /// </summary>
    public static async Task<double?> CpuBusyAsync(TimeSpan window)
    {
        static (long Busy, long Total)? Sample()
        {
            var line = TryRead("/proc/stat")?.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null)
            {
                return null;
            }

            var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var idle = v[3] + (v.Length > 4 ? v[4] : 0);
            return (v.Sum() - idle, v.Sum());
        }

        var first = Sample();
        await Task.Delay(window);
        var second = Sample();
        return first is { } f && second is { } s2 && s2.Total > f.Total ? (double)(s2.Busy - f.Busy) / (s2.Total - f.Total) : null;
    }

    public static async Task<Machine> DescribeAsync(string loadGenerator, string nginx, string repositoryRoot, TimeSpan cpuSample)
    {
        var busy = await CpuBusyAsync(cpuSample);
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
            busy is { } b ? $"{b:0%}" : "unknown");
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

using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace BacBos.Benchmarks.Tests;

/// <summary>
/// Starts the benchmark runner (<c>benchmarks/BacBos.Benchmarks</c>, same configuration as this assembly) as a process,
/// the way <c>scripts/bench.sh</c> does, with the servers of <c>.tmp/test-env.sh</c> inherited from the environment.
/// </summary>
public static class BenchmarkRunner
{
    public sealed record Outcome(int ExitCode, string Output, JsonElement Report)
    {
        public IReadOnlyList<JsonElement> Rows => Report.GetProperty("rows").EnumerateArray().ToList();

        public JsonElement Row(string id) =>
            Rows.FirstOrDefault(r => r.GetProperty("id").GetString() == id) is { ValueKind: JsonValueKind.Object } row
                ? row
                : throw new Xunit.Sdk.XunitException($"No row '{id}' in the report. Rows: {string.Join(", ", Rows.Select(r => r.GetProperty("id").GetString()))}{Environment.NewLine}{Output}");

        public static string Status(JsonElement row) => row.GetProperty("status").GetString()!;
    }

    /// <summary><c>run …</c> with <c>--out</c> set to a temp folder; returns the exit code, the output and <c>latest.json</c>.</summary>
    public static async Task<Outcome> RunAsync(TimeSpan timeout, params string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), "bacbos-bench-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        try
        {
            var (exitCode, text) = await ExecuteAsync(timeout, [.. args, "--out", output]);
            var report = Path.Combine(output, "latest.json");
            Assert.True(File.Exists(report), $"The runner wrote no {report} (exit {exitCode}).{Environment.NewLine}{text}");
            Assert.True(File.Exists(Path.Combine(output, "latest.md")), "The runner wrote no latest.md");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            return new Outcome(exitCode, text, json.RootElement.Clone());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Starts the runner with these arguments and waits for it (killing it at the deadline).</summary>
    public static async Task<(int ExitCode, string Output)> ExecuteAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        info.ArgumentList.Add(RunnerDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var text = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(text, e.Data);
        process.ErrorDataReceived += (_, e) => Append(text, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The benchmark runner did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{text}");
            }
        }

        process.WaitForExit();
        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>benchmarks/BacBos.Benchmarks/bin/{Configuration}/{tfm}/BacBos.Benchmarks.dll</c>.</summary>
    private static string RunnerDll
    {
        get
        {
            var tfmDir = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
            var configuration = Path.GetFileName(Path.GetDirectoryName(tfmDir))!;
            var dll = Path.Combine(RepositoryRoot, "benchmarks", "BacBos.Benchmarks", "bin", configuration, Path.GetFileName(tfmDir), "BacBos.Benchmarks.dll");
            Assert.True(File.Exists(dll), $"{dll} does not exist: build the solution first.");
            return dll;
        }
    }

    private static string DotnetHost
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : "dotnet";
        }
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

/// <summary>The runs start servers and load the machine: one after another, never beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchmarkCollection
{
    public const string Name = "Benchmark runner (smoke)";
}

using System.Text.Json;
using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Parts;

/// <summary>
/// Runs one part as a child process (<c>dotnet BacBos.Benchmarks.dll part NAME …</c>), so the peak RSS it reports
/// belongs to that measurement alone and earlier scenarios' heaps do not count against it.
/// </summary>
public static class PartLauncher
{
    public static async Task<PartResult> RunAsync(
        string part,
        IReadOnlyDictionary<string, string> options,
        IReadOnlyDictionary<string, string> environment,
        string workDirectory,
        string logDirectory,
        TimeSpan timeout)
    {
        var resultFile = Path.Combine(workDirectory, $"part-{part}-{Guid.NewGuid():N}.json");
        var args = new List<string> { "part", part, "--result", resultFile };
        foreach (var (name, value) in options)
        {
            args.Add("--" + name);
            args.Add(value);
        }

        using var child = ChildProcess.StartDotnet($"part-{part}", BenchEnvironment.RunnerAssembly, args, environment, logDirectory);
        var code = await child.WaitForExitAsync(timeout);
        if (code != 0 || !File.Exists(resultFile))
        {
            throw new InvalidOperationException($"part {part} exited with code {code} without a result.{Environment.NewLine}{child.Tail()}");
        }

        return JsonSerializer.Deserialize<PartResult>(await File.ReadAllTextAsync(resultFile), PartResult.Json)
            ?? throw new InvalidOperationException($"part {part} wrote an empty result");
    }

    /// <summary>The child side: runs the part and writes its result file.</summary>
    public static async Task<int> RunPartAsync(Args args)
    {
        var name = args.Words.ElementAtOrDefault(1) ?? throw new ArgumentException("part: name missing");
        var resultFile = args.Required("result");
        var result = name switch
        {
            "saga" => await SagaPart.RunAsync(args),
            "raw-rabbitmq" => await RawRabbitMqPart.RunAsync(args),
            "raw-postgres" => await RawPostgresPart.RunAsync(args),
            "direct-activation" => await DirectActivationPart.RunAsync(args),
            _ => throw new ArgumentException($"unknown part '{name}'"),
        };
        result.PeakRssBytes = ProcessMemory.SelfPeakRssBytes();
        await File.WriteAllTextAsync(resultFile, JsonSerializer.Serialize(result, PartResult.Json));
        return 0;
    }
}

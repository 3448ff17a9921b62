using BacBos.Benchmarks;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Micro;
using BacBos.Benchmarks.Parts;
using BacBos.Benchmarks.Servers;

// The benchmark runner. `run` is what scripts/bench.sh calls; `part` and `serve` are the child processes it starts;
// `micro` runs the BenchmarkDotNet micro-benchmarks. See README "Performance".
var parsed = new Args(args);
return parsed.Words.FirstOrDefault() switch
{
    "run" => await Runner.RunAsync(parsed, string.Join(' ', args.Skip(1).Prepend("scripts/bench.sh"))),
    "part" => await PartLauncher.RunPartAsync(parsed),
    "serve" => parsed.Words.ElementAtOrDefault(1) switch
    {
        "bare" => await BareServer.RunAsync(parsed.Number("port", 0)),
        var other => Usage($"unknown server '{other}'"),
    },
    "micro" => MicroBenchmarks.Run(args[1..]),
    _ => Usage(null),
};

static int Usage(string? error)
{
    if (error is not null)
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine("""
        usage: BacBos.Benchmarks run [--smoke] [--out DIR] [--only saga,activation,gateway,webhook,embedded,export]
                                     [--load-generator auto|wrk|inprocess] [--no-nginx]
               BacBos.Benchmarks micro [--out FILE] [BenchmarkDotNet options, e.g. --filter '*' --job short]
               BacBos.Benchmarks serve bare --port N                (started by `run`)
               BacBos.Benchmarks part NAME --result FILE ...        (started by `run`)
        """);
    return 2;
}

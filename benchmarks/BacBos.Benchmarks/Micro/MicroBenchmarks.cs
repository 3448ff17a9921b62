using System.Text;
using System.Text.Json;
using BacBos.Benchmarks.Parts;
using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Contracts.Activation;
using BacBos.Platform.Sagas;
using BacBos.Platform.Security;
using BacBos.Sagas.Activation;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace BacBos.Benchmarks.Micro;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of hot pure code on the request and saga paths: <c>micro [--dry] [--out FILE]
/// [BenchmarkDotNet options, e.g. --filter *Stripe*]</c>. A short job (3 warm-up, 5 measured iterations; <c>--dry</c>:
/// one) with the in-process toolchain, so no generated project is built; memory diagnoser on. <c>--out FILE</c>
/// collects the GitHub-flavoured report into one Markdown file.
/// </summary>
public class MicroBenchmarks
{
    private const string Secret = "whsec_micro_benchmark_secret_0123456789";
    private readonly BusinessActivationInput _input = ActivationProfiles.Input("Lagos Fresh Foods", "ada@lagosfresh.example");
    private readonly (string KeyId, string Key, byte[] Hash) _apiKey = ApiKeys.Generate();
    private readonly ActivationState _state = CompletedState();
    private string _stateJson = string.Empty;
    private byte[] _eventBody = [];
    private string _signature = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _stateJson = JsonSerializer.Serialize(_state, SagaDocumentStore<ActivationState>.Json);
        _eventBody = Encoding.UTF8.GetBytes(SampleEventBody());
        _signature = WebhookSignatures.StripeHeader(_eventBody, Secret, DateTimeOffset.UtcNow);
    }

    /// <summary><c>ActivationInputValidator.Validate</c> of a valid profile (gateway and step 1).</summary>
    [Benchmark]
    public int ValidateActivationInput() => ActivationInputValidator.Validate(_input).Count;

    /// <summary><c>ActivationInputNormalizer.Normalize</c> (gateway).</summary>
    [Benchmark]
    public BusinessActivationInput NormalizeActivationInput() => ActivationInputNormalizer.Normalize(_input);

    /// <summary><c>ApiKeys.TryParse</c> + <c>Matches</c>: the CPU part of every tenant-key request.</summary>
    [Benchmark]
    public bool ParseAndMatchApiKey() => ApiKeys.TryParse(_apiKey.Key, out _) && ApiKeys.Matches(_apiKey.Key, _apiKey.Hash);

    /// <summary>The activation saga document (11 steps) as the repository writes it.</summary>
    [Benchmark]
    public string SerializeActivationState() => JsonSerializer.Serialize(_state, SagaDocumentStore<ActivationState>.Json);

    /// <summary>The activation saga document (11 steps) as the repository reads it.</summary>
    [Benchmark]
    public ActivationState? DeserializeActivationState() => JsonSerializer.Deserialize<ActivationState>(_stateJson, SagaDocumentStore<ActivationState>.Json);

    /// <summary>Stripe-Signature check of a ~500-byte event, as the payments webhook receiver does it.</summary>
    [Benchmark]
    public bool VerifyStripeSignature() =>
        WebhookSignatures.Stripe(_signature, _eventBody, Secret, DateTimeOffset.UtcNow, WebhookSignatures.StripeTolerance) == SignatureCheck.Valid;

    public static int Run(string[] args)
    {
        string? output = null;
        var job = Job.ShortRun.WithWarmupCount(3).WithIterationCount(5);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--dry":
                    job = Job.Dry;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (!rest.Contains("--filter"))
        {
            rest.AddRange(["--filter", "*"]);
        }

        var artifacts = Path.Combine(Path.GetTempPath(), "bacbos-bench-micro-" + Guid.NewGuid().ToString("N")[..8]);
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
            .AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summaries = BenchmarkSwitcher.FromTypes([typeof(MicroBenchmarks)]).Run([.. rest], config).ToList();
        if (output is not null)
        {
            var results = Path.Combine(artifacts, "results");
            var reports = Directory.Exists(results) ? Directory.GetFiles(results, "*-report-github.md") : [];
            var text = new StringBuilder("# BacBos micro-benchmarks (BenchmarkDotNet)\n\n");
            text.AppendLine("`dotnet benchmarks/BacBos.Benchmarks/bin/Release/net10.0/BacBos.Benchmarks.dll micro` (run by `scripts/bench.sh`).");
            text.AppendLine();
            foreach (var report in reports)
            {
                text.AppendLine(File.ReadAllText(report));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, text.ToString());
        }

        try
        {
            Directory.Delete(artifacts, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }

        return summaries.Count > 0 && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.Length > 0 && s.Reports.All(r => r.Success)) ? 0 : 1;
    }

    private static string SampleEventBody() => Scenarios.WebhookScenario.SignedEvents(Secret, Guid.NewGuid(), [Guid.NewGuid()], 1)[0].Body;

    private static ActivationState CompletedState()
    {
        var now = DateTimeOffset.UtcNow;
        return new ActivationState
        {
            CorrelationId = Guid.NewGuid(),
            CurrentState = "Completed",
            Version = 24,
            TenantId = Guid.NewGuid(),
            Input = ActivationProfiles.Input("Lagos Fresh Foods", "ada@lagosfresh.example"),
            Modules = ["ai_copilot", "analytics", "cart", "catalog", "checkout", "crm", "documents", "finance", "inventory", "invoicing", "orders", "payments", "shipments", "storefront", "support"],
            Steps = Enum.GetValues<ActivationStep>().Select(step => new ActivationStepState
            {
                Step = step,
                Status = ActivationStepStatus.Completed,
                Attempts = 1,
                StartedAt = now,
                FinishedAt = now,
                Detail = $"step {step} done",
                Outputs = new Dictionary<string, string> { ["path"] = $"tenants/x/{step}", ["changed"] = "8" },
            }).ToList(),
            SubmittedAt = now,
            UpdatedAt = now,
            FinishedAt = now,
        };
    }
}

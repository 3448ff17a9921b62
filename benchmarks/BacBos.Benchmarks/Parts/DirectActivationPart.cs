using System.Reflection;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Report;
using BacBos.Consumers;
using BacBos.Consumers.Activation.ApplyIndustryPreset;
using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.ConfigureDnsAndTls;
using BacBos.Consumers.Activation.ConfigureIntegrations;
using BacBos.Consumers.Activation.CreateTenantIdentity;
using BacBos.Consumers.Activation.DeployServices;
using BacBos.Consumers.Activation.EnableCopilots;
using BacBos.Consumers.Activation.ProvisionInfrastructure;
using BacBos.Consumers.Activation.SeedData;
using BacBos.Consumers.Activation.SetupDatabases;
using BacBos.Consumers.Activation.Steps;
using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Contracts.Activation;
using BacBos.Platform;
using BacBos.Platform.Data;
using BacBos.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BacBos.Benchmarks.Parts;

/// <summary>
/// Baseline for scenarios 2 and 5: the same step work as an activation, as direct in-process calls in sequence —
/// each step consumer's own <c>Execute</c> (validation, tenant identity, preset, GitOps manifests, tenant schema and
/// migrations, module deployments, the not-configured drivers, seed data) and step 11's status update + result
/// compilation — against the same database, with no bus, no saga and no HTTP. Config: BENCH_DB_PROVIDER,
/// BENCH_POSTGRES, BENCH_DATA_DIR, BENCH_GITOPS_DIR, BENCH_DATA_KEY.
/// </summary>
public static class DirectActivationPart
{
    public static async Task<PartResult> RunAsync(Args args)
    {
        var sequential = args.Number("sequential", 10);
        var concurrency = args.Number("concurrency", 20);
        var total = args.Number("total", 40);
        var warmup = args.Number("warmup", 2);
        var tag = args.Required("tag");

        var provider = Environment.GetEnvironmentVariable("BENCH_DB_PROVIDER") ?? "Postgres";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Postgres"] = Environment.GetEnvironmentVariable("BENCH_POSTGRES"),
            ["Database:DataDirectory"] = SagaPart.Required("BENCH_DATA_DIR"),
            ["Drivers:GitOps:Directory"] = SagaPart.Required("BENCH_GITOPS_DIR"),
            ["Security:DataKey"] = SagaPart.Required("BENCH_DATA_KEY"),
        }).Build();

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton(new BusOptions());
        services.AddBacBosPlatform(configuration).AddActivationConsumerServices(configuration);
        await using var container = services.BuildServiceProvider();
        await container.GetRequiredService<Migrator>().MigrateAsync();
        var steps = new DirectSteps(container);

        var number = 0;
        BusinessActivationInput NextInput()
        {
            var n = Interlocked.Increment(ref number);
            return ActivationInputNormalizer.Normalize(ActivationProfiles.Input($"{tag} {n}", $"owner-{n}-{Guid.NewGuid():N}@example.com"));
        }

        var failures = new List<string>();
        for (var i = 0; i < warmup; i++)
        {
            await steps.RunAsync(NextInput());
        }

        var result = new PartResult();
        result.Measurements.Add(await MeasureAsync("c1", sequential, 1, steps, NextInput, failures));
        result.Measurements.Add(await MeasureAsync($"c{concurrency}", total, concurrency, steps, NextInput, failures));

        var database = container.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM tenants WHERE status = 'active' AND business_name LIKE @p";
        var p = command.CreateParameter();
        p.ParameterName = "p";
        p.Value = tag + " %";
        command.Parameters.Add(p);
        var active = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        var checks = new Checks();
        checks.Equal("tenants active", warmup + sequential + total, active);
        checks.Zero("failed activations", failures.Count);
        foreach (var failure in failures.Take(3))
        {
            checks.Fail(failure);
        }

        foreach (var measurement in result.Measurements)
        {
            measurement.Apply(checks);
        }

        return result;
    }

    private static async Task<PartMeasurement> MeasureAsync(
        string name,
        int count,
        int concurrency,
        DirectSteps steps,
        Func<BusinessActivationInput> nextInput,
        List<string> failures)
    {
        var latency = new LatencyRecorder();
        var next = -1;
        var completed = 0;
        var start = LatencyRecorder.Now();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var began = LatencyRecorder.Now();
                try
                {
                    await steps.RunAsync(nextInput());
                    latency.AddSince(began);
                    Interlocked.Increment(ref completed);
                }
                catch (Exception ex)
                {
                    lock (failures)
                    {
                        failures.Add($"{ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        }));

        return new PartMeasurement
        {
            Name = name,
            Count = completed,
            ElapsedSeconds = LatencyRecorder.MillisecondsSince(start) / 1000,
            Latency = latency.Summary(),
            Extra = { ["concurrency"] = concurrency },
        };
    }

    /// <summary>The eleven steps, called directly.</summary>
    private sealed class DirectSteps(IServiceProvider services)
    {
        private readonly ValidateInputConsumer _validate = ActivatorUtilities.CreateInstance<ValidateInputConsumer>(services);
        private readonly CreateTenantIdentityConsumer _identity = ActivatorUtilities.CreateInstance<CreateTenantIdentityConsumer>(services);
        private readonly ApplyIndustryPresetConsumer _preset = ActivatorUtilities.CreateInstance<ApplyIndustryPresetConsumer>(services);
        private readonly ProvisionNamespaceConsumer _namespace = ActivatorUtilities.CreateInstance<ProvisionNamespaceConsumer>(services);
        private readonly SetupDatabasesConsumer _databases = ActivatorUtilities.CreateInstance<SetupDatabasesConsumer>(services);
        private readonly DeployServicesConsumer _deploy = ActivatorUtilities.CreateInstance<DeployServicesConsumer>(services);
        private readonly ConfigureIntegrationsConsumer _integrations = ActivatorUtilities.CreateInstance<ConfigureIntegrationsConsumer>(services);
        private readonly SeedTenantDataConsumer _seed = ActivatorUtilities.CreateInstance<SeedTenantDataConsumer>(services);
        private readonly ConfigureDnsAndTlsConsumer _dns = ActivatorUtilities.CreateInstance<ConfigureDnsAndTlsConsumer>(services);
        private readonly EnableCopilotsConsumer _copilots = ActivatorUtilities.CreateInstance<EnableCopilotsConsumer>(services);
        private readonly Database _database = services.GetRequiredService<Database>();
        private readonly PublicUrlOptions _urls = services.GetRequiredService<PublicUrlOptions>();

        public async Task<ActivationResult> RunAsync(BusinessActivationInput input)
        {
            var (id, tenant) = (NewId.NextGuid(), NewId.NextGuid());
            IReadOnlyList<string> modules = [];
            await Execute(_validate, new ValidateActivationInput(id, tenant, 1, input, modules));
            await Execute(_identity, new CreateTenantIdentity(id, tenant, 1, input, modules));
            var preset = await Execute(_preset, new ApplyIndustryPreset(id, tenant, 1, input, modules));
            modules = preset.Outputs!["modules"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            await Execute(_namespace, new ProvisionNamespace(id, tenant, 1, input, modules));
            await Execute(_databases, new SetupDatabases(id, tenant, 1, input, modules));
            await Execute(_deploy, new DeployServices(id, tenant, 1, input, modules));
            await Execute(_integrations, new ConfigureIntegrations(id, tenant, 1, input, modules));
            await Execute(_seed, new SeedTenantData(id, tenant, 1, input, modules));
            await Execute(_dns, new ConfigureDnsAndTls(id, tenant, 1, input, modules));
            await Execute(_copilots, new EnableCopilots(id, tenant, 1, input, modules));

            // Step 11, as CompileActivationResultConsumer does it (its Consume needs a ConsumeContext to reply).
            await using (var session = await _database.BeginAsync())
            {
                var rows = await session.ExecuteAsync(
                    "UPDATE tenants SET status = 'active', updated_at = @now WHERE id = @t",
                    CancellationToken.None,
                    ("now", _database.Time(DateTimeOffset.UtcNow)),
                    ("t", _database.Id(tenant)));
                if (rows != 1)
                {
                    throw new InvalidOperationException($"tenant {tenant} is missing at step 11");
                }

                await session.CommitAsync();
            }

            return CompileActivationResultConsumer.Compile(new TenantContext(id, tenant, input, modules), _urls);
        }

        /// <summary>
        /// Calls the consumer's step body (<c>ActivationStepConsumer&lt;T&gt;.Execute</c>, protected) directly, so the
        /// baseline runs exactly the code the consumer runs, minus the bus. Fails loudly if that member moves.
        /// </summary>
        private static async Task<StepOutcome> Execute<TCommand>(ActivationStepConsumer<TCommand> consumer, TCommand command)
            where TCommand : class, IActivationStepCommand
        {
            var method = typeof(ActivationStepConsumer<TCommand>).GetMethod(
                    "Execute",
                    BindingFlags.Instance | BindingFlags.NonPublic,
                    [typeof(TCommand), typeof(CancellationToken)])
                ?? throw new InvalidOperationException(
                    $"ActivationStepConsumer<{typeof(TCommand).Name}> has no protected Execute({typeof(TCommand).Name}, CancellationToken) any more: update the direct baseline.");
            var task = (Task<StepOutcome>)method.Invoke(consumer, BindingFlags.DoNotWrapExceptions, null, [command, CancellationToken.None], null)!;
            var outcome = await task;
            return outcome;
        }
    }
}

using System.Globalization;
using BacBos.Consumers.Activation.Steps;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.Copilots;

/// <summary>
/// Step 10: stores one copilot configuration per enabled module in <c>copilot_configs</c> (routing, guardrails, PII
/// scrubbing, RAG index) for the agent service, after a smoke call per module to the configured LLM endpoint. Active by
/// default, because the store needs only the platform database; the smoke call runs only when <c>Drivers:Llm:Endpoint</c>
/// is set and is otherwise reported as skipped. A tenant without the <c>ai_copilot</c> module gets no copilot.
/// </summary>
public sealed class CopilotConfigDriver(CopilotConfigStore store, LlmOptions options, ILogger<CopilotConfigDriver> logger, LlmSmokeClient? smoke = null)
    : ICopilotDriver
{
    public const string SmokeSkipped = "llm smoke call skipped: Drivers:Llm:Endpoint not configured";

    /// <summary>At most this many smoke calls in flight for one tenant.</summary>
    private const int SmokeParallelism = 4;

    public string Name => "copilot";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!CopilotPolicy.IsEnabled(tenant))
        {
            var removed = await store.DeleteAsync(tenant.TenantId, cancellationToken);
            return StepOutcome.Done(
                "ai_copilot module not enabled: no copilot configured" + (removed > 0 ? $" ({removed} earlier configuration(s) removed)" : string.Empty),
                new Dictionary<string, string> { ["copilots"] = "0", ["changed"] = removed.ToString(CultureInfo.InvariantCulture) });
        }

        var configurations = CopilotPolicy.For(tenant, options.DefaultProvider);

        // Smoke first: a failed call leaves nothing stored (outside an ambient transaction too), so a retry counts its changes again.
        var smokes = await SmokeAsync(configurations.Select(c => c.Module).ToList(), cancellationToken);
        var changed = await store.ReplaceAsync(tenant.TenantId, configurations, cancellationToken);
        logger.LogInformation("Copilot configuration for {Modules} module(s) stored, {Changed} row(s) changed", configurations.Count, changed);

        var routing = configurations[0].Routing;
        var outputs = new Dictionary<string, string>
        {
            ["copilots"] = configurations.Count.ToString(CultureInfo.InvariantCulture),
            ["provider"] = routing.PreferredProvider,
            ["routing"] = string.Join(" > ", routing.Providers),
            ["llm"] = smoke is null ? SmokeSkipped : $"model {options.Model}",
            ["changed"] = changed.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var configuration in configurations)
        {
            outputs[$"module.{configuration.Module}"] =
                $"index {configuration.Rag.Index}; {smokes?[configuration.Module].Describe() ?? "smoke: skipped"}";
        }

        return StepOutcome.Done(
            $"{configurations.Count} copilot(s) configured ({changed} row(s) changed); " +
            (smoke is null ? SmokeSkipped : $"smoke call ok for every module (model {options.Model})"),
            outputs);
    }

    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var removed = await store.DeleteAsync(tenant.TenantId, cancellationToken);
        return removed > 0 ? $"removed {removed} copilot configuration(s)" : "no copilot configuration to remove";
    }

    private async Task<IReadOnlyDictionary<string, LlmSmokeResult>?> SmokeAsync(IReadOnlyList<string> modules, CancellationToken cancellationToken)
    {
        if (smoke is null)
        {
            return null;
        }

        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, LlmSmokeResult>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            modules,
            new ParallelOptions { MaxDegreeOfParallelism = SmokeParallelism, CancellationToken = cancellationToken },
            async (module, ct) => results[module] = await smoke.PingAsync(module, ct));
        return results;
    }
}

using BacBos.Consumers.Activation.Steps;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Step 7: runs every <see cref="IIntegrationPart"/> (Paystack, WhatsApp, Stripe, email domain) and reports each one
/// (<c>stripe: webhook we_… created</c>, <c>paystack: skipped: not requested</c>, …) plus <c>changed</c>. The step is
/// skipped only when every part skipped.
/// <para>
/// A permanent failure of one part fails the step, and the saga does not compensate a step that failed with a known
/// outcome; so before rethrowing, the driver removes what every part set up (this call or an earlier one). A part
/// whose removal fails for good (a revoked token cannot unsubscribe) is named in the message; if a removal fails
/// transiently, that error is thrown instead: the step is retried, and after the last retry the saga compensates it
/// as an unknown outcome.
/// </para>
/// </summary>
public sealed class IntegrationsDriver(IEnumerable<IIntegrationPart> parts, ILogger<IntegrationsDriver> logger) : IIntegrationsDriver
{
    private readonly IReadOnlyList<IIntegrationPart> _parts = parts.ToList();

    public string Name => "integrations";

    public async Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var results = new List<(string Name, PartResult Result)>();
        foreach (var part in _parts)
        {
            try
            {
                results.Add((part.Name, await part.ApplyAsync(tenant, cancellationToken)));
            }
            catch (PermanentStepException ex)
            {
                logger.LogWarning("Integration {Part} failed permanently ({Reason}); removing the tenant's integrations", part.Name, ex.Message);
                var (removed, failures) = await RemoveEachAsync(tenant, cancellationToken);
                if (failures.Any(f => f.Error is not PermanentStepException))
                {
                    throw RemovalFailed(removed, failures);
                }

                var notUndone = failures.Count == 0 ? string.Empty : $"; not undone: {Describe(failures)}";
                throw new PermanentStepException($"{part.Name}: {ex.Message} (undone: {string.Join("; ", removed)}{notUndone})");
            }
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, result) in results)
        {
            outputs[name] = result.Summary;
            foreach (var (key, value) in result.Extra ?? new Dictionary<string, string>())
            {
                outputs[key] = value;
            }
        }

        var changed = results.Sum(r => r.Result.Changed);
        outputs["changed"] = changed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var detail = string.Join("; ", results.Select(r => $"{r.Name}: {r.Result.Summary}"));
        return results.All(r => r.Result.Skipped) ? StepOutcome.Skip(detail, outputs) : StepOutcome.Done(detail, outputs);
    }

    /// <summary>
    /// Removes every part's work, last part first. A part that fails does not stop the others; the failures are
    /// thrown together afterwards (transient if any is), so the compensation is retried for what is left.
    /// </summary>
    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var (removed, failures) = await RemoveEachAsync(tenant, cancellationToken);
        return failures.Count == 0 ? string.Join("; ", removed) : throw RemovalFailed(removed, failures);
    }

    private async Task<(List<string> Removed, List<(string Part, Exception Error)> Failures)> RemoveEachAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var failures = new List<(string Part, Exception Error)>();
        foreach (var part in _parts.Reverse())
        {
            try
            {
                removed.Add($"{part.Name}: {await part.RemoveAsync(tenant, cancellationToken)}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Removing integration {Part} failed: {Reason}", part.Name, ex.Message);
                failures.Add((part.Name, ex));
            }
        }

        return (removed, failures);
    }

    private static Exception RemovalFailed(List<string> removed, List<(string Part, Exception Error)> failures)
    {
        var message = $"removing integrations failed for {Describe(failures)} (removed: {string.Join("; ", removed)})";
        return failures.All(f => f.Error is PermanentStepException)
            ? new PermanentStepException(message)
            : new TransientProviderException(message, failures.First(f => f.Error is not PermanentStepException).Error);
    }

    private static string Describe(List<(string Part, Exception Error)> failures) =>
        string.Join("; ", failures.Select(f => $"{f.Part}: {f.Error.Message}"));
}

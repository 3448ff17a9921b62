using BacBos.Consumers.Activation.Steps;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// Step 7: runs every <see cref="IIntegrationPart"/> (Paystack, WhatsApp, Stripe, email domain) and reports each one
/// (<c>stripe: webhook we_… created</c>, <c>paystack: skipped: not requested</c>, …) plus <c>changed</c>. The step is
/// skipped only when every part skipped.
/// <para>
/// A permanent failure of one part fails the step, and the saga does not compensate a step that failed with a known
/// outcome; so before rethrowing, the driver removes what every part set up (this call or an earlier one). If that
/// clean-up itself fails, its (transient) error is thrown instead: the step is retried, and after the last retry the
/// saga compensates it as an unknown outcome.
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
                var removed = await RemoveAsync(tenant, cancellationToken);
                throw new PermanentStepException($"{part.Name}: {ex.Message} (undone: {removed})");
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

    /// <summary>Removes every part's work, last part first.</summary>
    public async Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var part in _parts.Reverse())
        {
            removed.Add($"{part.Name}: {await part.RemoveAsync(tenant, cancellationToken)}");
        }

        return string.Join("; ", removed);
    }
}

using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers.Integrations;

/// <summary>
/// One provider that step 7 configures for a tenant (Stripe, Paystack, WhatsApp, the email domain). Each part
/// decides for itself whether it applies (requested by the input, configured, credentials present) and reports
/// <c>skipped: reason</c> otherwise, so one unconfigured provider never hides what the others did.
/// </summary>
public interface IIntegrationPart
{
    /// <summary>Output key and prefix in the step detail (<c>stripe</c>, <c>paystack</c>, <c>whatsapp</c>, <c>email</c>).</summary>
    string Name { get; }

    /// <summary>Idempotent: a repeat finds its work done and reports <see cref="PartResult.Changed"/> = 0.</summary>
    Task<PartResult> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken);

    /// <summary>Removes what apply created; succeeds when nothing is left. Returns what it did, without secrets.</summary>
    Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken);
}

/// <summary>
/// What one part did. <paramref name="Summary"/> goes into the step outputs and detail (never a secret);
/// <paramref name="Extra"/> adds non-secret outputs such as the tenant's webhook URL.
/// </summary>
public sealed record PartResult(bool Skipped, string Summary, int Changed = 0, IReadOnlyDictionary<string, string>? Extra = null)
{
    public static PartResult Skip(string reason) => new(true, $"skipped: {reason}");

    public static PartResult Done(string summary, int changed, IReadOnlyDictionary<string, string>? extra = null) => new(false, summary, changed, extra);
}

using System.Text;
using BacBos.Contracts.Activation;
using BacBos.Consumers.Activation.Reference;

namespace BacBos.Consumers.Activation.Steps;

/// <summary>What a provisioning driver needs to know about the tenant it works on.</summary>
public sealed record TenantContext(Guid ActivationId, Guid TenantId, BusinessActivationInput Input, IReadOnlyList<string> Modules)
{
    public string Plan => string.IsNullOrEmpty(Input.Plan) ? Plans.Default : Input.Plan;

    public string Namespace => $"tenant-{TenantId:N}";

    public string Slug => Slugify(Input.BusinessName ?? "tenant");

    public static TenantContext From(IActivationStepCommand c) => new(c.ActivationId, c.TenantId, c.Input, c.Modules);

    public static TenantContext From(IActivationCompensationCommand c) => new(c.ActivationId, c.TenantId, c.Input, []);

    /// <summary>Lower-case ASCII letters, digits and single dashes; at most 40 characters.</summary>
    public static string Slugify(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                sb.Append(ch);
            }
            else if (sb.Length > 0 && sb[^1] != '-' && char.GetUnicodeCategory(ch) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                sb.Append('-');
            }
        }

        var slug = sb.ToString().Trim('-');
        slug = slug.Length > 40 ? slug[..40].TrimEnd('-') : slug;
        return slug.Length == 0 ? "tenant" : slug;
    }
}

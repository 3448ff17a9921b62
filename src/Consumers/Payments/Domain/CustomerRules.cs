using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Payments.Domain;

/// <summary>The paying customer's details, checked with the same rules as the CRM's people.</summary>
public static class CustomerRules
{
    /// <summary>The e-mail address trimmed and lower-cased, null when absent; an error under <paramref name="field"/> when invalid.</summary>
    public static string? Email(FieldErrors errors, string field, string? value)
    {
        if (LeadRules.Blank(value))
        {
            return null;
        }

        var email = value!.Trim();
        if (!InputRules.IsValidEmail(email))
        {
            errors.Add(field, $"{InputRules.Quote(email)} is not a valid e-mail address (name@example.com).");
        }

        return email.ToLowerInvariant();
    }
}

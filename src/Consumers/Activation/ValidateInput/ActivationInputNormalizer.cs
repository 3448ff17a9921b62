using BacBos.Consumers.Activation.Reference;
using BacBos.Contracts.Activation;

namespace BacBos.Consumers.Activation.ValidateInput;

/// <summary>
/// Produces the canonical form of a valid <see cref="BusinessActivationInput"/>, so later steps compare and store
/// values without re-interpreting user spelling. Pure: no I/O.
/// </summary>
public static class ActivationInputNormalizer
{
    /// <summary>
    /// A canonical copy of <paramref name="input"/>: strings trimmed; region as upper-case alpha-2; currency upper-case;
    /// industry, channels, payments, model_provider, plan, feature-toggle keys and product kinds lower-case;
    /// channels and payments de-duplicated in input order; domain lower-case without a trailing dot; plan defaulted
    /// to <see cref="Plans.Default"/>; the admin email's domain lower-cased and the phone reduced to <c>+</c> and digits;
    /// blank optional free text (admin name, product SKU and description) as null.
    /// </summary>
    /// <exception cref="ArgumentException">The input does not pass <see cref="ActivationInputValidator.Validate"/>.</exception>
    public static BusinessActivationInput Normalize(BusinessActivationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = ActivationInputValidator.Validate(input);
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"Only a valid activation input can be normalised; invalid fields: {string.Join(", ", errors.Keys)}.", nameof(input));
        }

        Iso3166.TryGet(input.Region!.Trim(), out var country);
        Iso4217.TryGet(input.Currency!.Trim(), out var currency);

        return new BusinessActivationInput(
            BusinessName: input.BusinessName!.Trim(),
            Region: country!.Alpha2,
            Currency: currency!.Code,
            Industry: Lower(input.Industry)!,
            Channels: DistinctLower(input.Channels!),
            Payments: DistinctLower(input.Payments!),
            FeatureToggles: input.FeatureToggles?.ToDictionary(t => t.Key.Trim().ToLowerInvariant(), t => t.Value, StringComparer.Ordinal),
            Domain: input.Domain?.Trim().TrimEnd('.').ToLowerInvariant(),
            AdminContact: input.AdminContact is { } contact ? NormalizeContact(contact) : null,
            ModelProvider: Lower(input.ModelProvider),
            Products: input.Products?.Select(NormalizeProduct).ToArray(),
            Plan: Lower(input.Plan) ?? Plans.Default);
    }

    private static string? Lower(string? value) => value?.Trim().ToLowerInvariant();

    private static string? BlankAsNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string[] DistinctLower(IReadOnlyList<string> values) =>
        values.Select(v => v.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();

    private static AdminContact NormalizeContact(AdminContact contact)
    {
        var email = contact.Email!.Trim();
        var at = email.LastIndexOf('@');
        return new AdminContact(
            BlankAsNull(contact.Name),
            string.Concat(email.AsSpan(0, at + 1), email[(at + 1)..].ToLowerInvariant()),
            contact.Phone is null ? null : InputRules.CanonicalPhone(contact.Phone.Trim()));
    }

    private static ProductInput NormalizeProduct(ProductInput product) =>
        new(
            product.Name!.Trim(),
            BlankAsNull(product.Sku),
            Lower(product.Kind),
            product.Price,
            BlankAsNull(product.Description));
}

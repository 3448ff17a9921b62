using System.Globalization;
using BacBos.Consumers.Activation.Reference;
using BacBos.Contracts.Activation;

namespace BacBos.Consumers.Activation.ValidateInput;

/// <summary>
/// Step 1 of the activation workflow: checks a <see cref="BusinessActivationInput"/> and reports every problem at
/// once, keyed by the snake_case JSON path of the field (e.g. <c>channels[1]</c>, <c>products[3].price</c>,
/// <c>feature_toggles.foo</c>). Pure: no I/O.
/// </summary>
public static class ActivationInputValidator
{
    /// <summary>Shortest business name, after trimming.</summary>
    public const int MinBusinessNameLength = 2;

    /// <summary>Longest business name, after trimming.</summary>
    public const int MaxBusinessNameLength = 200;

    /// <summary>Most messaging channels or payment providers in one input.</summary>
    public const int MaxListEntries = 10;

    /// <summary>Most feature toggles in one input.</summary>
    public const int MaxFeatureToggles = 50;

    /// <summary>Most products imported at activation.</summary>
    public const int MaxProducts = 500;

    /// <summary>Longest admin contact or product name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest product SKU.</summary>
    public const int MaxSkuLength = 64;

    /// <summary>Longest product description.</summary>
    public const int MaxDescriptionLength = 2000;

    /// <summary>The accepted product kinds.</summary>
    public static IReadOnlyList<string> ProductKinds { get; } = Array.AsReadOnly(["product", "service"]);

    /// <summary>
    /// Every problem of <paramref name="input"/>: field path → messages. An empty dictionary means the input is valid.
    /// A null input reports every required field as missing.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Validate(BusinessActivationInput? input)
    {
        var errors = new Errors();
        input ??= new BusinessActivationInput(null, null, null, null, null, null);

        ValidateBusinessName(input.BusinessName, errors);
        ValidateRegion(input.Region, errors);
        var currencyValid = ValidateCurrency(input.Currency, errors, out var currency);
        ValidateIndustry(input.Industry, errors);
        ValidateList("channels", "messaging channel", input.Channels, Channels.Known, Channels.IsKnown, errors);
        ValidateList("payments", "payment provider", input.Payments, PaymentProviders.Known, PaymentProviders.IsKnown, errors);
        ValidateFeatureToggles(input.FeatureToggles, errors);
        ValidateDomain(input.Domain, errors);
        ValidateAdminContact(input.AdminContact, errors);
        ValidateOptionalChoice("model_provider", "model provider", input.ModelProvider, ModelProviders.Known, ModelProviders.IsKnown, errors);
        ValidateOptionalChoice("plan", "plan", input.Plan, Plans.Known, Plans.IsKnown, errors);
        ValidateProducts(input.Products, currencyValid ? currency : null, errors);

        return errors.ToResult();
    }

    private static void ValidateBusinessName(string? value, Errors errors)
    {
        const string key = "business_name";
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(key, $"business_name is required: give the business's name ({MinBusinessNameLength} to {MaxBusinessNameLength} characters).");
            return;
        }

        if (name.Length is < MinBusinessNameLength or > MaxBusinessNameLength)
        {
            errors.Add(key, $"business_name must be {MinBusinessNameLength} to {MaxBusinessNameLength} characters long after trimming; it has {name.Length}.");
        }

        if (InputRules.ContainsControl(name))
        {
            errors.Add(key, "business_name must not contain control characters such as line breaks or tabs.");
        }
    }

    private static void ValidateRegion(string? value, Errors errors)
    {
        const string key = "region";
        var region = value?.Trim();
        if (string.IsNullOrEmpty(region))
        {
            errors.Add(key, "region is required: give the business's country as an ISO 3166-1 alpha-2 or alpha-3 code, e.g. NG or NGA.");
        }
        else if (!Iso3166.TryGet(region, out _))
        {
            errors.Add(key, $"region {InputRules.Quote(region)} is not an officially assigned ISO 3166-1 country code; give an alpha-2 or alpha-3 code, e.g. GB or GBR.");
        }
    }

    private static bool ValidateCurrency(string? value, Errors errors, out CurrencyInfo? currency)
    {
        const string key = "currency";
        currency = null;
        var code = value?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            errors.Add(key, "currency is required: give an active ISO 4217 currency code, e.g. USD, EUR or NGN.");
            return false;
        }

        if (!Iso4217.TryGet(code, out var info))
        {
            errors.Add(key, $"currency {InputRules.Quote(code)} is not an active ISO 4217 currency code; give a three-letter code such as USD, EUR or NGN (fund, precious-metal and test codes are not accepted).");
            return false;
        }

        currency = info;
        return true;
    }

    private static void ValidateIndustry(string? value, Errors errors)
    {
        const string key = "industry";
        var allowed = string.Join(", ", IndustryPresets.Industries);
        var industry = value?.Trim();
        if (string.IsNullOrEmpty(industry))
        {
            errors.Add(key, $"industry is required: give one of {allowed}.");
        }
        else if (!IndustryPresets.TryGet(industry, out _))
        {
            errors.Add(key, $"industry {InputRules.Quote(industry)} is not a supported industry; give one of {allowed}.");
        }
    }

    private static void ValidateList(
        string key,
        string noun,
        IReadOnlyList<string>? values,
        IReadOnlyList<string> known,
        Func<string?, bool> isKnown,
        Errors errors)
    {
        var allowed = string.Join(", ", known);
        if (values is null)
        {
            errors.Add(key, $"{key} is required: list 1 to {MaxListEntries} of {allowed}.");
            return;
        }

        if (values.Count == 0)
        {
            errors.Add(key, $"{key} must list at least one {noun}: choose from {allowed}.");
            return;
        }

        if (values.Count > MaxListEntries)
        {
            errors.Add(key, $"{key} lists {values.Count} entries; at most {MaxListEntries} are allowed.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var path = $"{key}[{i}]";
            var entry = values[i]?.Trim();
            if (string.IsNullOrEmpty(entry))
            {
                errors.Add(path, $"{path} is empty; give one of {allowed}.");
                continue;
            }

            var canonical = entry.ToLowerInvariant();
            if (!isKnown(canonical))
            {
                errors.Add(path, $"{path} {InputRules.Quote(entry)} is not a supported {noun}; give one of {allowed}.");
            }
            else if (seen.TryGetValue(canonical, out var first))
            {
                errors.Add(path, $"{path} {InputRules.Quote(entry)} repeats {key}[{first}]; list each {noun} once.");
            }
            else
            {
                seen.Add(canonical, i);
            }
        }
    }

    private static void ValidateFeatureToggles(IReadOnlyDictionary<string, bool>? toggles, Errors errors)
    {
        const string key = "feature_toggles";
        if (toggles is null)
        {
            return;
        }

        if (toggles.Count > MaxFeatureToggles)
        {
            errors.Add(key, $"feature_toggles has {toggles.Count} entries; at most {MaxFeatureToggles} are allowed.");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in toggles.Keys)
        {
            var module = name?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(module))
            {
                errors.Add(key, "feature_toggles contains an empty module name; every key must be a module name such as crm or storefront.");
                continue;
            }

            var path = $"{key}.{InputRules.PathSegment(name!)}";
            if (!Modules.IsKnown(module))
            {
                errors.Add(path, $"{path} is not a known module; use one of {string.Join(", ", Modules.Known)}.");
            }
            else if (seen.TryGetValue(module, out var first))
            {
                errors.Add(path, $"{path} names the same module as {key}.{InputRules.PathSegment(first)} (module names are not case-sensitive); give each module once.");
            }
            else
            {
                seen.Add(module, name!);
            }
        }
    }

    private static void ValidateDomain(string? value, Errors errors)
    {
        const string key = "domain";
        if (value is null)
        {
            return;
        }

        var domain = value.Trim();
        if (domain.Length == 0)
        {
            errors.Add(key, "domain must not be empty: omit it, or give a host name such as shop.example.com.");
            return;
        }

        foreach (var problem in InputRules.HostNameProblems(domain, key))
        {
            errors.Add(key, problem);
        }
    }

    private static void ValidateAdminContact(AdminContact? contact, Errors errors)
    {
        if (contact is null)
        {
            return;
        }

        var name = contact.Name?.Trim();
        if (name is not null)
        {
            if (name.Length > MaxNameLength)
            {
                errors.Add("admin_contact.name", $"admin_contact.name must be at most {MaxNameLength} characters long; it has {name.Length}.");
            }

            if (InputRules.ContainsControl(name))
            {
                errors.Add("admin_contact.name", "admin_contact.name must not contain control characters such as line breaks or tabs.");
            }
        }

        var email = contact.Email?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            errors.Add("admin_contact.email", "admin_contact.email is required when admin_contact is given: give the administrator's email address, e.g. owner@example.com.");
        }
        else if (!InputRules.IsValidEmail(email))
        {
            errors.Add("admin_contact.email", $"admin_contact.email {InputRules.Quote(email)} is not a valid email address; give a plain address with a dotted domain, e.g. owner@example.com (no display name or angle brackets).");
        }

        if (contact.Phone is not null && InputRules.CanonicalPhone(contact.Phone.Trim()) is null)
        {
            errors.Add("admin_contact.phone", $"admin_contact.phone must be an international number: + followed by {InputRules.MinPhoneDigits} to {InputRules.MaxPhoneDigits} digits (not starting with 0), e.g. +2348012345678; spaces, dashes, dots and parentheses are allowed.");
        }
    }

    private static void ValidateOptionalChoice(
        string key,
        string noun,
        string? value,
        IReadOnlyList<string> known,
        Func<string?, bool> isKnown,
        Errors errors)
    {
        if (value is null)
        {
            return;
        }

        var allowed = string.Join(", ", known);
        var choice = value.Trim();
        if (choice.Length == 0)
        {
            errors.Add(key, $"{key} must not be empty: omit it, or give one of {allowed}.");
        }
        else if (!isKnown(choice.ToLowerInvariant()))
        {
            errors.Add(key, $"{key} {InputRules.Quote(choice)} is not a supported {noun}; give one of {allowed}.");
        }
    }

    private static void ValidateProducts(IReadOnlyList<ProductInput>? products, CurrencyInfo? currency, Errors errors)
    {
        const string key = "products";
        if (products is null)
        {
            return;
        }

        if (products.Count > MaxProducts)
        {
            errors.Add(key, $"products lists {products.Count} entries; at most {MaxProducts} can be imported at activation.");
        }

        var skus = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < products.Count; i++)
        {
            var path = $"{key}[{i}]";
            var product = products[i];
            if (product is null)
            {
                errors.Add(path, $"{path} is null; give an object with at least a name.");
                continue;
            }

            ValidateProductName(path, product.Name, errors);
            ValidateSku(path, i, product.Sku, skus, errors);
            ValidateKind(path, product.Kind, errors);
            ValidatePrice(path, product.Price, currency, errors);

            var description = product.Description?.Trim();
            if (description is not null && description.Length > MaxDescriptionLength)
            {
                errors.Add($"{path}.description", $"{path}.description must be at most {MaxDescriptionLength} characters long; it has {description.Length}.");
            }
        }
    }

    private static void ValidateProductName(string path, string? value, Errors errors)
    {
        var key = $"{path}.name";
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(key, $"{key} is required: give the product's or service's name (at most {MaxNameLength} characters).");
            return;
        }

        if (name.Length > MaxNameLength)
        {
            errors.Add(key, $"{key} must be at most {MaxNameLength} characters long; it has {name.Length}.");
        }

        if (InputRules.ContainsControl(name))
        {
            errors.Add(key, $"{key} must not contain control characters such as line breaks or tabs.");
        }
    }

    private static void ValidateSku(string path, int index, string? value, Dictionary<string, int> skus, Errors errors)
    {
        var key = $"{path}.sku";
        var sku = value?.Trim();
        if (string.IsNullOrEmpty(sku))
        {
            return;
        }

        if (sku.Length > MaxSkuLength)
        {
            errors.Add(key, $"{key} must be at most {MaxSkuLength} characters long; it has {sku.Length}.");
        }

        if (InputRules.ContainsControl(sku))
        {
            errors.Add(key, $"{key} must not contain control characters.");
        }

        if (skus.TryGetValue(sku, out var first))
        {
            errors.Add(key, $"{key} {InputRules.Quote(sku)} repeats the SKU of products[{first}]; SKUs must be unique (not case-sensitive).");
        }
        else
        {
            skus.Add(sku, index);
        }
    }

    private static void ValidateKind(string path, string? value, Errors errors)
    {
        if (value is null)
        {
            return;
        }

        var key = $"{path}.kind";
        var kind = value.Trim().ToLowerInvariant();
        if (!ProductKinds.Contains(kind, StringComparer.Ordinal))
        {
            errors.Add(key, $"{key} {InputRules.Quote(value.Trim())} is not a product kind; give {string.Join(" or ", ProductKinds)}, or omit it.");
        }
    }

    private static void ValidatePrice(string path, decimal? value, CurrencyInfo? currency, Errors errors)
    {
        if (value is not { } price)
        {
            return;
        }

        var key = $"{path}.price";
        var shown = price.ToString(CultureInfo.InvariantCulture);
        if (price < 0)
        {
            errors.Add(key, $"{key} {shown} is negative; give a price of 0 or more.");
            return;
        }

        if (currency is not null && !FitsMinorUnit(price, currency.Exponent))
        {
            errors.Add(key, currency.Exponent == 0
                ? $"{key} {shown} has decimals, but {currency.Code} has no minor unit; give a whole number."
                : $"{key} {shown} has more than {currency.Exponent} decimal places, the minor unit of {currency.Code}; round it to {currency.Exponent} decimal places.");
        }
    }

    /// <summary>True when <paramref name="price"/> is a whole number of minor units (trailing zeros do not count).</summary>
    private static bool FitsMinorUnit(decimal price, int exponent)
    {
        var fraction = price - decimal.Truncate(price);
        for (var i = 0; i < exponent; i++)
        {
            fraction *= 10m;
        }

        return fraction == decimal.Truncate(fraction);
    }

    /// <summary>Collects messages per path, keeping first-seen order.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byPath = new(StringComparer.Ordinal);

        public void Add(string path, string message)
        {
            if (!_byPath.TryGetValue(path, out var messages))
            {
                messages = [];
                _byPath.Add(path, messages);
            }

            if (!messages.Contains(message, StringComparer.Ordinal))
            {
                messages.Add(message);
            }
        }

        public IReadOnlyDictionary<string, string[]> ToResult() =>
            _byPath.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}

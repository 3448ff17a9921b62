using BacBos.Consumers.Activation.ValidateInput;

namespace BacBos.Consumers.Crm.Domain;

/// <summary>Lead priorities, lowest first.</summary>
public static class LeadPriority
{
    public const string Default = "medium";

    public static IReadOnlyList<string> All { get; } = ["low", "medium", "high", "urgent"];
}

/// <summary>Where a lead came from (a closed list, so it can be filtered and counted).</summary>
public static class LeadSource
{
    public const string Default = "other";

    public static IReadOnlyList<string> All { get; } = ["website", "referral", "email", "phone", "whatsapp", "social", "event", "partner", "advertising", "import", "other"];
}

/// <summary>A lead as submitted (REST body or inbound message), before validation.</summary>
public sealed record LeadInput(string? Name, string? Email, string? Phone, string? Company, string? Source, string? Priority, string? Notes);

/// <summary>A valid, normalised lead: trimmed, e-mail lower-case, phone in E.164, defaults filled.</summary>
public sealed record LeadDraft(string Name, string? Email, string? Phone, string? Company, string Source, string Priority, string? Notes);

/// <summary>
/// The one set of rules for a new lead, shared by <c>POST /api/v1/leads</c> and the inbound channels (RabbitMQ,
/// Kafka), so a lead is equally valid whichever way it arrives. Every problem is reported, by field.
/// </summary>
public static class LeadRules
{
    public const int MaxName = 200;
    public const int MaxCompany = 200;
    public const int MaxNotes = 4000;

    public static (LeadDraft? Draft, IReadOnlyDictionary<string, string[]> Errors) Validate(LeadInput input)
    {
        var errors = new FieldErrors();
        var person = Person(errors, input.Name, input.Email, input.Phone, input.Company, requireReachable: true);
        var notes = Text(errors, "notes", input.Notes, MaxNotes, required: false, multiLine: true);
        var source = Choice(errors, "source", input.Source, LeadSource.All, LeadSource.Default);
        var priority = Choice(errors, "priority", input.Priority, LeadPriority.All, LeadPriority.Default);
        return errors.Count > 0
            ? (null, errors.ToDictionary())
            : (new LeadDraft(person.Name!, person.Email, person.Phone, person.Company, source!, priority!, notes), errors.ToDictionary());
    }

    /// <summary>A person's name (required), e-mail, phone (E.164) and company, normalised; errors by field.</summary>
    public static (string? Name, string? Email, string? Phone, string? Company) Person(
        FieldErrors errors,
        string? name,
        string? email,
        string? phone,
        string? company,
        bool requireReachable)
    {
        var trimmedName = Text(errors, "name", name, MaxName, required: true);
        var trimmedCompany = Text(errors, "company", company, MaxCompany, required: false);
        var trimmedEmail = Blank(email) ? null : email!.Trim();
        if (trimmedEmail is not null && !InputRules.IsValidEmail(trimmedEmail))
        {
            errors.Add("email", $"{InputRules.Quote(trimmedEmail)} is not a valid e-mail address (name@example.com).");
        }

        var canonicalPhone = Blank(phone) ? null : InputRules.CanonicalPhone(phone!.Trim());
        if (!Blank(phone) && canonicalPhone is null)
        {
            errors.Add("phone", $"{InputRules.Quote(phone!.Trim())} is not an international phone number: '+', country code and {InputRules.MinPhoneDigits} to {InputRules.MaxPhoneDigits} digits (spaces, dashes, dots and parentheses allowed).");
        }

        if (requireReachable && trimmedEmail is null && Blank(phone))
        {
            errors.Add("email", "An e-mail address or a phone number is required to follow up a lead.");
        }

        return (trimmedName, trimmedEmail?.ToLowerInvariant(), canonicalPhone, trimmedCompany);
    }

    /// <summary>A value of a closed list, compared ignoring case; <paramref name="fallback"/> when absent; null plus an error when unknown.</summary>
    public static string? Choice(FieldErrors errors, string field, string? value, IReadOnlyList<string> allowed, string? fallback)
    {
        if (Blank(value))
        {
            if (fallback is null)
            {
                errors.Add(field, $"{field} is required; use one of {string.Join(", ", allowed)}.");
            }

            return fallback;
        }

        var match = allowed.FirstOrDefault(a => a.Equals(value!.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            errors.Add(field, $"Unknown {field} {InputRules.Quote(value!)}; use one of {string.Join(", ", allowed)}.");
        }

        return match;
    }

    /// <summary>Trimmed text with a length limit; control characters refused (line breaks allowed where multi-line).</summary>
    public static string? Text(FieldErrors errors, string field, string? value, int max, bool required, bool multiLine = false)
    {
        if (Blank(value))
        {
            if (required)
            {
                errors.Add(field, $"{field} is required.");
            }

            return null;
        }

        var text = value!.Trim();
        if (text.Length > max)
        {
            errors.Add(field, $"{field} may have at most {max} characters; it has {text.Length}.");
        }

        if (text.Any(c => char.IsControl(c) && !(multiLine && c is '\n' or '\r' or '\t')))
        {
            errors.Add(field, $"{field} must not contain control characters.");
        }

        return text;
    }

    public static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}

/// <summary>Validation problems by field, in the order they were found.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>One line naming every field and problem (for dead-letter reasons).</summary>
    public static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}

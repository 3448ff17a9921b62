using System.Globalization;
using BacBos.Consumers.Crm.Contacts;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Leads;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;
using BacBos.Gateway.Http;

namespace BacBos.Gateway.Crm;

/// <summary>
/// Field checks of the CRM request bodies, every problem reported by field (snake_case, as sent). Rules that need the
/// tenant's data (its pipeline's stages, the ids it has) are checked by the services.
/// </summary>
public static class CrmValidation
{
    public const int MaxReason = 1000;

    public static (LeadDraft? Draft, IReadOnlyDictionary<string, string[]> Errors) Lead(CreateLeadRequest r) =>
        LeadRules.Validate(new LeadInput(r.Name, r.Email, r.Phone, r.Company, r.Source, r.Priority, r.Notes));

    public static (LeadPatch? Patch, IReadOnlyDictionary<string, string[]> Errors) LeadPatch(PatchLeadRequest r)
    {
        var errors = new FieldErrors();
        if (!r.Status.IsSet && !r.Priority.IsSet && !r.Notes.IsSet)
        {
            errors.Add("body", "Nothing to change: send at least one of status, priority, notes.");
        }

        var status = Required(errors, "status", r.Status, LeadStatus.All);
        var priority = Required(errors, "priority", r.Priority, LeadPriority.All);
        var notes = r.Notes.IsSet ? Requested<string?>.Of(LeadRules.Text(errors, "notes", r.Notes.Value, LeadRules.MaxNotes, required: false, multiLine: true)) : Requested<string?>.Absent;
        return errors.Count > 0 ? (null, errors.ToDictionary()) : (new LeadPatch(status, priority, notes), errors.ToDictionary());
    }

    public static (ContactDraft? Draft, IReadOnlyDictionary<string, string[]> Errors) Contact(CreateContactRequest r)
    {
        var errors = new FieldErrors();
        var (name, email, phone, company) = LeadRules.Person(errors, r.Name, r.Email, r.Phone, r.Company, requireReachable: false);
        return errors.Count > 0 ? (null, errors.ToDictionary()) : (new ContactDraft(name!, email, phone, company), errors.ToDictionary());
    }

    public static (OpportunityDraft? Draft, IReadOnlyDictionary<string, string[]> Errors) Opportunity(CreateOpportunityRequest r)
    {
        var errors = new FieldErrors();
        var contactId = Id(errors, "contact_id", r.ContactId);
        var leadId = Id(errors, "lead_id", r.LeadId);
        if (LeadRules.Blank(r.ContactId) && LeadRules.Blank(r.LeadId))
        {
            errors.Add("contact_id", "An opportunity needs a contact_id, a lead_id, or both.");
        }

        var fields = OpportunityFields(errors, r.Name, r.Amount, r.Currency, r.Stage, r.Probability, r.CloseDate);
        return errors.Count > 0
            ? (null, errors.ToDictionary())
            : (new OpportunityDraft(fields.Name, contactId, leadId, fields.Amount, fields.Currency, fields.Stage, r.Probability, fields.CloseDate), errors.ToDictionary());
    }

    public static (LeadConversionRequest? Request, IReadOnlyDictionary<string, string[]> Errors) Conversion(ConvertLeadRequest r)
    {
        var errors = new FieldErrors();
        var contactId = Id(errors, "contact_id", r.ContactId);
        var fields = OpportunityFields(errors, r.Name, r.Amount, r.Currency, r.Stage, r.Probability, r.CloseDate);
        return errors.Count > 0
            ? (null, errors.ToDictionary())
            : (new LeadConversionRequest(contactId, fields.Name, fields.Amount, fields.Currency, fields.Stage, r.Probability, fields.CloseDate), errors.ToDictionary());
    }

    public static (OpportunityPatch? Patch, IReadOnlyDictionary<string, string[]> Errors) OpportunityPatch(PatchOpportunityRequest r)
    {
        var errors = new FieldErrors();
        if (!r.Name.IsSet && !r.Stage.IsSet && !r.Amount.IsSet && !r.Probability.IsSet && !r.CloseDate.IsSet)
        {
            errors.Add("body", "Nothing to change: send at least one of name, stage, amount, probability, close_date.");
        }

        var name = r.Name.IsSet ? Requested<string>.Of(LeadRules.Text(errors, "name", r.Name.Value, LeadRules.MaxName, required: true)!) : Requested<string>.Absent;
        var stage = Requested<string>.Absent;
        if (r.Stage.IsSet)
        {
            stage = Requested<string>.Of(StageCode(errors, r.Stage.Value, required: true)!);
        }

        var amount = Requested<decimal>.Absent;
        if (r.Amount.IsSet)
        {
            if (r.Amount.Value is not { } value)
            {
                errors.Add("amount", "amount cannot be null.");
            }
            else if (AmountProblem(value) is { } problem)
            {
                errors.Add("amount", problem);
            }
            else
            {
                amount = Requested<decimal>.Of(value);
            }
        }

        if (r.Probability.Value is { } p && !ProbabilityRules.IsValid(p))
        {
            errors.Add("probability", ProbabilityProblem);
        }

        var closeDate = r.CloseDate.IsSet ? Requested<DateOnly?>.Of(Date(errors, "close_date", r.CloseDate.Value)) : Requested<DateOnly?>.Absent;
        return errors.Count > 0
            ? (null, errors.ToDictionary())
            : (new OpportunityPatch(name, stage, amount, r.Probability.IsSet ? Requested<decimal?>.Of(r.Probability.Value) : Requested<decimal?>.Absent, closeDate), errors.ToDictionary());
    }

    /// <summary>A valid close request.</summary>
    public sealed record Closing(bool Won, string? Reason);

    public static (Closing? Closing, IReadOnlyDictionary<string, string[]> Errors) Close(CloseOpportunityRequest r)
    {
        var errors = new FieldErrors();
        var outcome = LeadRules.Choice(errors, "outcome", r.Outcome, ["won", "lost"], fallback: null);
        var reason = LeadRules.Text(errors, "reason", r.Reason, MaxReason, required: false, multiLine: true);
        return errors.Count > 0 ? (null, errors.ToDictionary()) : (new Closing(outcome == "won", reason), errors.ToDictionary());
    }

    private const string ProbabilityProblem = "probability is a percentage from 0 to 100 with at most two decimals.";

    private static (string? Name, decimal Amount, string? Currency, string? Stage, DateOnly? CloseDate) OpportunityFields(
        FieldErrors errors, string? name, decimal? amount, string? currency, string? stage, decimal? probability, string? closeDate)
    {
        var trimmedName = LeadRules.Text(errors, "name", name, LeadRules.MaxName, required: false);
        string? code = null;
        if (!LeadRules.Blank(currency))
        {
            code = currency!.Trim().ToUpperInvariant();
            if (!Money.IsCurrency(code))
            {
                errors.Add("currency", $"Unknown currency '{currency}'; use an active ISO 4217 code such as NGN, EUR or USD.");
                code = null;
            }
        }

        if (amount is not { } value)
        {
            errors.Add("amount", "amount is required (0 or more, in the currency's units, e.g. 12500.50).");
        }
        else if (AmountProblem(value) is { } problem)
        {
            errors.Add("amount", problem);
        }
        else if (code is not null && !Money.FitsMinorUnits(value, code))
        {
            errors.Add("amount", $"{code} has {Money.MinorUnits(code)} decimal place(s); the amount has more.");
        }

        if (probability is { } p && !ProbabilityRules.IsValid(p))
        {
            errors.Add("probability", ProbabilityProblem);
        }

        return (trimmedName, amount ?? 0m, code, StageCode(errors, stage, required: false), Date(errors, "close_date", closeDate));
    }

    private static string? AmountProblem(decimal value) =>
        value < 0 ? "amount cannot be negative." : value > Money.MaxAmount ? $"amount can be at most {Money.MaxAmount.ToString(CultureInfo.InvariantCulture)}." : null;

    /// <summary>A stage code's shape (the tenant's pipeline decides whether it exists).</summary>
    private static string? StageCode(FieldErrors errors, string? value, bool required)
    {
        if (LeadRules.Blank(value))
        {
            if (required)
            {
                errors.Add("stage", "stage cannot be empty.");
            }

            return null;
        }

        var code = value!.Trim().ToLowerInvariant();
        if (code.Length > 64 || !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            errors.Add("stage", $"'{value}' is not a stage code (such as prospect, proposal or closed-won).");
            return null;
        }

        return code;
    }

    public static Guid? Id(FieldErrors errors, string field, string? value)
    {
        if (LeadRules.Blank(value))
        {
            return null;
        }

        if (Guid.TryParse(value!.Trim(), out var id))
        {
            return id;
        }

        errors.Add(field, $"'{value}' is not a UUID.");
        return null;
    }

    private static DateOnly? Date(FieldErrors errors, string field, string? value)
    {
        if (LeadRules.Blank(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, $"'{value}' is not a date; use yyyy-MM-dd.");
        return null;
    }

    /// <summary>A set member that must not be null, from a closed list.</summary>
    private static Requested<string> Required(FieldErrors errors, string field, Optional<string?> member, IReadOnlyList<string> allowed)
    {
        if (!member.IsSet)
        {
            return Requested<string>.Absent;
        }

        var value = LeadRules.Choice(errors, field, member.Value, allowed, fallback: null);
        return value is null ? Requested<string>.Absent : Requested<string>.Of(value);
    }
}

using BacBos.Consumers.Activation.Reference;

namespace BacBos.Consumers.Crm.Domain;

/// <summary>One row of a tenant's seeded <c>tax_rates</c> table.</summary>
public sealed record TaxRate(string Id, string Country, string? Subdivision, string TaxType, string Name, decimal RatePercent, DateOnly ValidFrom, DateOnly? ValidTo, bool Inclusive)
{
    public bool InForceOn(DateOnly date) => ValidFrom <= date && (ValidTo is null || date <= ValidTo.Value);
}

/// <summary>The rate an invoice draft uses, or why none applies.</summary>
public sealed record TaxChoice(TaxRate? Rate, string? Note);

/// <summary>Net, tax and total of an invoice draft, each rounded to the currency's minor units.</summary>
public sealed record InvoiceAmounts(decimal Net, decimal Tax, decimal Total);

/// <summary>
/// Which of a tenant's seeded rates an invoice draft for a won opportunity uses, and the amounts. The rate is the
/// national standard rate in force on the draft date (the tenant's country; <c>valid_from</c> ≤ date ≤ <c>valid_to</c>);
/// a country with a single national rate uses that one. Where no national rate can be chosen — the United States
/// (a tax engine is needed), Canada (rates per province) — the draft carries no tax and says why: finance settles it.
/// </summary>
public static class InvoiceTax
{
    public static TaxChoice Choose(IEnumerable<TaxRate> rates, string country, DateOnly date)
    {
        if (TaxRateCatalog.RequiresTaxEngine(country))
        {
            return new TaxChoice(null, $"no tax applied: {country} sales tax needs a tax-engine adapter (no static rate)");
        }

        var national = rates
            .Where(r => r.Subdivision is null && r.Country.Equals(country, StringComparison.OrdinalIgnoreCase) && r.InForceOn(date))
            .ToList();
        var standard = national.Where(r => r.Name.Contains("standard", StringComparison.OrdinalIgnoreCase)).ToList();
        var chosen = standard.Count == 1 ? standard[0] : standard.Count == 0 && national.Count == 1 ? national[0] : null;
        if (chosen is not null)
        {
            return new TaxChoice(chosen, null);
        }

        return new TaxChoice(null, national.Count == 0
            ? $"no tax applied: no national rate for {country} is in force on {date:yyyy-MM-dd} in the tenant's tax table"
            : $"no tax applied: {national.Count} national rates for {country} are in force on {date:yyyy-MM-dd} and none is the standard rate");
    }

    /// <summary>
    /// Tax-inclusive: the amount is the total and contains the tax (tax = amount × r / (100 + r)). Tax-exclusive: the
    /// tax is added on top (tax = amount × r / 100). The tax is rounded once, half away from zero; net + tax = total exactly.
    /// </summary>
    public static InvoiceAmounts Compute(decimal amount, string currency, decimal? ratePercent, bool inclusive)
    {
        var gross = Money.Round(amount, currency);
        if (ratePercent is not { } rate || rate == 0m)
        {
            return new InvoiceAmounts(gross, Money.Round(0m, currency), gross);
        }

        if (inclusive)
        {
            var tax = Money.Round(gross * rate / (100m + rate), currency);
            return new InvoiceAmounts(Money.Round(gross - tax, currency), tax, gross);
        }

        var added = Money.Round(gross * rate / 100m, currency);
        return new InvoiceAmounts(gross, added, Money.Round(gross + added, currency));
    }
}

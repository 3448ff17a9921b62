using BacBos.Consumers.Crm.Domain;

namespace BacBos.Consumers.Invoicing.Tax;

/// <summary>One line as asked for: a quantity of something at a unit price, and optionally the name of the tenant's tax rate it falls under.</summary>
public sealed record LineInput(string Description, decimal Quantity, decimal UnitPrice, string? TaxRateName = null);

/// <summary>A line with its amount (quantity × unit price, rounded to minor units) and the rate in force for it (null: untaxed).</summary>
public sealed record TaxedLine(int Position, string Description, decimal Quantity, decimal UnitPrice, long AmountMinor, TaxRate? Rate, bool Inclusive);

/// <summary>One row of the tax breakdown: the lines under one rate, their net amount and the tax on it.</summary>
public sealed record TaxBreakdown(int Position, string? RateId, string TaxType, string Name, decimal RatePercent, bool Inclusive, long NetMinor, long TaxMinor);

/// <summary>An invoice's lines, tax breakdown and totals in minor units of <see cref="Currency"/>; net + tax = total exactly.</summary>
public sealed record InvoiceCalculation(
    string Currency, DateOnly Date, IReadOnlyList<TaxedLine> Lines, IReadOnlyList<TaxBreakdown> Taxes, long NetMinor, long TaxMinor, long TotalMinor, string? TaxNote);

/// <summary>A line names a rate the tenant's table does not have in force on the invoice date.</summary>
public sealed class UnknownTaxRateException(string message) : Exception(message);

/// <summary>
/// Invoice tax from the tenant's seeded <c>tax_rates</c> (the national rows of its country) in force on the invoice
/// date. A line without a rate name takes the standard rate (<see cref="InvoiceTax.Choose"/>, the same choice the CRM's
/// invoice drafts make); a named rate must be in force on that date. Lines are grouped per rate, and each group's tax
/// is computed once on its sum and rounded half away from zero to the currency's minor units (inclusive: extracted
/// from the gross; exclusive: added on top) — so the breakdown adds up exactly, and a draft's one-line invoice has
/// the draft's figures.
/// </summary>
public static class InvoiceCalculator
{
    /// <param name="pricesIncludeTax">True when the amounts are what was paid (tax extracted); null: as the rate is seeded.</param>
    public static InvoiceCalculation Calculate(
        IReadOnlyCollection<TaxRate> rates, string country, string currency, DateOnly date, IReadOnlyList<LineInput> lines, bool? pricesIncludeTax)
    {
        if (lines.Count == 0)
        {
            throw new ArgumentException("An invoice needs at least one line.", nameof(lines));
        }

        var standard = InvoiceTax.Choose(rates, country, date);
        var taxed = lines.Select((line, i) =>
        {
            var rate = line.TaxRateName is { Length: > 0 } name ? Named(rates, country, name, date) : standard.Rate;
            var amount = Money.ToMinor(line.Quantity * line.UnitPrice, currency);
            return new TaxedLine(i + 1, line.Description, line.Quantity, line.UnitPrice, amount, rate, pricesIncludeTax ?? rate?.Inclusive ?? false);
        }).ToList();

        var breakdown = new List<TaxBreakdown>();
        long net = 0, tax = 0;
        foreach (var group in taxed.GroupBy(l => (l.Rate?.Id, l.Inclusive)).OrderBy(g => g.Min(l => l.Position)))
        {
            var rate = group.First().Rate;
            var sum = Money.FromMinor(group.Sum(l => l.AmountMinor), currency);
            var amounts = InvoiceTax.Compute(sum, currency, rate?.RatePercent, group.Key.Inclusive);
            var groupNet = Money.ToMinor(amounts.Net, currency);
            var groupTax = Money.ToMinor(amounts.Tax, currency);
            net += groupNet;
            tax += groupTax;
            if (rate is not null)
            {
                breakdown.Add(new TaxBreakdown(breakdown.Count + 1, rate.Id, rate.TaxType, rate.Name, rate.RatePercent, group.Key.Inclusive, groupNet, groupTax));
            }
        }

        var note = taxed.Any(l => l.Rate is null) ? standard.Note ?? "no tax applied to some lines" : null;
        return new InvoiceCalculation(currency.ToUpperInvariant(), date, taxed, breakdown, net, tax, net + tax, note);
    }

    /// <summary>The tenant's national rate called <paramref name="name"/> in force on <paramref name="date"/> (the latest start wins).</summary>
    private static TaxRate Named(IEnumerable<TaxRate> rates, string country, string name, DateOnly date) =>
        rates.Where(r => r.Subdivision is null && r.Country.Equals(country, StringComparison.OrdinalIgnoreCase)
                && r.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase) && r.InForceOn(date))
            .OrderByDescending(r => r.ValidFrom)
            .FirstOrDefault()
        ?? throw new UnknownTaxRateException($"no {country} tax rate named '{name}' is in force on {date:yyyy-MM-dd} in the tenant's tax table");
}

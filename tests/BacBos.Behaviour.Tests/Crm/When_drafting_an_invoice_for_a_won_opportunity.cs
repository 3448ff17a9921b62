using System.Globalization;
using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Crm.Domain;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>The tax rate an invoice draft uses (the tenant's seeded rates, in force on the draft date) and its amounts.</summary>
public class When_drafting_an_invoice_for_a_won_opportunity
{
    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The rows activation seeds for a country, as the tenant's tax_rates table holds them.</summary>
    internal static IEnumerable<TaxRate> Seeded(string country) =>
        TaxRateCatalog.For(country).Select(r => new TaxRate(
            $"{r.Country}:{r.Subdivision ?? "*"}:{r.TaxType}:{r.Name}:{r.ValidFrom:yyyy-MM-dd}", r.Country, r.Subdivision, r.TaxType, r.Name, r.RatePercent, r.ValidFrom, r.ValidTo, r.Inclusive));

    [Theory]
    [InlineData("NG", "2026-11-25", "VAT standard", "7.5")]
    [InlineData("NG", "2020-01-31", "VAT standard", "5")]
    [InlineData("GB", "2026-11-25", "VAT standard", "20")]
    [InlineData("ZA", "2018-03-31", "VAT standard", "14")]
    [InlineData("IN", "2025-09-22", "GST standard", "18")]
    [InlineData("AU", "2026-11-25", "GST", "10")]
    public void Should_use_the_national_standard_rate_in_force_on_the_draft_date(string country, string date, string name, string rate)
    {
        var choice = InvoiceTax.Choose(Seeded(country), country, Day(date));

        Assert.Null(choice.Note);
        Assert.Equal(name, choice.Rate!.Name);
        Assert.Equal(decimal.Parse(rate, CultureInfo.InvariantCulture), choice.Rate.RatePercent);
    }

    [Theory]
    [InlineData("US", "tax-engine")]
    [InlineData("CA", "no national rate")]
    public void Should_apply_no_tax_and_say_why_where_no_national_rate_applies(string country, string reason)
    {
        var choice = InvoiceTax.Choose(Seeded(country), country, Day("2026-11-25"));

        Assert.Null(choice.Rate);
        Assert.Contains(reason, choice.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_apply_no_tax_before_the_first_seeded_period() =>
        Assert.Null(InvoiceTax.Choose(Seeded("NG"), "NG", Day("1990-01-01")).Rate);

    [Theory]
    [InlineData("NGN", "1000000", "7.5", true, "930232.56", "69767.44", "1000000.00")]
    [InlineData("NGN", "1000000", "7.5", false, "1000000.00", "75000.00", "1075000.00")]
    [InlineData("GBP", "99.99", "20", true, "83.32", "16.67", "99.99")]
    [InlineData("JPY", "1001", "10", false, "1001", "100", "1101")]
    [InlineData("KWD", "10.005", "5", false, "10.005", "0.500", "10.505")]
    [InlineData("EUR", "50", null, false, "50.00", "0.00", "50.00")]
    public void Should_compute_net_tax_and_total_in_minor_units(string currency, string amount, string? rate, bool inclusive, string net, string tax, string total)
    {
        var amounts = InvoiceTax.Compute(decimal.Parse(amount, CultureInfo.InvariantCulture), currency, rate is null ? null : decimal.Parse(rate, CultureInfo.InvariantCulture), inclusive);

        Assert.Equal(net, amounts.Net.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(tax, amounts.Tax.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(total, amounts.Total.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(amounts.Total, amounts.Net + amounts.Tax);
    }
}

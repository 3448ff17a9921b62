using System.Globalization;
using BacBos.Behaviour.Tests.Crm;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Invoicing.Tax;

namespace BacBos.Behaviour.Tests.Invoicing;

/// <summary>Invoice tax from the tenant's seeded rates in force on the invoice date, per line, in the currency's minor units.</summary>
public class When_calculating_invoice_tax
{
    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal D(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);

    private static InvoiceCalculation Calculate(string country, string currency, string date, bool? inclusive, params LineInput[] lines) =>
        InvoiceCalculator.Calculate(When_drafting_an_invoice_for_a_won_opportunity.Seeded(country).ToList(), country, currency, Day(date), lines, inclusive);

    [Theory]
    [InlineData("2018-03-31", "14", 10088, 1412)]
    [InlineData("2018-04-01", "15", 10000, 1500)]
    public void Should_take_the_rate_in_force_on_each_side_of_a_rate_change(string date, string rate, long net, long tax)
    {
        var invoice = Calculate("ZA", "ZAR", date, true, new LineInput("Consulting", 1m, 115m));

        Assert.Equal(D(rate), Assert.Single(invoice.Taxes).RatePercent);
        Assert.Equal((net, tax, 11500L), (invoice.NetMinor, invoice.TaxMinor, invoice.TotalMinor));
    }

    [Fact]
    public void Should_refuse_a_named_rate_that_is_no_longer_in_force()
    {
        var before = Calculate("IN", "INR", "2025-09-21", false, new LineInput("Processed food", 1m, 100m, "GST intermediate"));
        Assert.Equal(1200, before.TaxMinor);

        var ex = Assert.Throws<UnknownTaxRateException>(() => Calculate("IN", "INR", "2025-09-22", false, new LineInput("Processed food", 1m, 100m, "GST intermediate")));
        Assert.Contains("2025-09-22", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_tax_each_line_at_its_own_rate_and_break_the_tax_down_per_rate()
    {
        var invoice = Calculate(
            "GB", "GBP", "2026-11-25", false,
            new LineInput("Design work", 2m, 10m),
            new LineInput("Children's car seat", 1m, 33.33m, "VAT reduced"),
            new LineInput("Books", 1m, 5m, "VAT zero"));

        Assert.Equal(
            [("VAT standard", 2000L, 400L), ("VAT reduced", 3333L, 167L), ("VAT zero", 500L, 0L)],
            invoice.Taxes.Select(t => (t.Name, t.NetMinor, t.TaxMinor)).ToList());
        Assert.Equal((5833L, 567L, 6400L), (invoice.NetMinor, invoice.TaxMinor, invoice.TotalMinor));
        Assert.Equal([20m, 5m, 0m], invoice.Lines.Select(l => l.Rate!.RatePercent).ToList());
    }

    [Fact]
    public void Should_round_the_tax_once_per_rate_not_per_line()
    {
        // Per line 0.006 would round to 0.01 three times (0.03); on the rate's sum 0.018 rounds to 0.02.
        var invoice = Calculate("GB", "GBP", "2026-11-25", false, [.. Enumerable.Range(1, 3).Select(i => new LineInput($"Sample {i}", 1m, 0.03m))]);

        Assert.Equal(2, invoice.TaxMinor);
        Assert.Equal(11, invoice.TotalMinor);
    }

    [Theory]
    [InlineData("JPY", "1001", true, 834, 167, 1001)]
    [InlineData("CLP", "9999", false, 9999, 2000, 11999)]
    [InlineData("KWD", "10.005", false, 10005, 2001, 12006)]
    [InlineData("KWD", "0.001", true, 1, 0, 1)]
    [InlineData("BHD", "1.234", true, 1028, 206, 1234)]
    public void Should_compute_in_the_minor_units_of_zero_and_three_decimal_currencies(string currency, string amount, bool inclusive, long net, long tax, long total)
    {
        var invoice = Calculate("GB", currency, "2026-11-25", inclusive, new LineInput("Service", 1m, D(amount)));

        Assert.Equal((net, tax, total), (invoice.NetMinor, invoice.TaxMinor, invoice.TotalMinor));
        Assert.Equal(net + tax, invoice.TotalMinor);
    }

    [Fact]
    public void Should_round_line_amounts_to_minor_units_half_away_from_zero()
    {
        var invoice = Calculate("GB", "JPY", "2026-11-25", true, new LineInput("Half a unit", 0.5m, 101m));

        Assert.Equal(51, Assert.Single(invoice.Lines).AmountMinor);
    }

    [Fact]
    public void Should_apply_no_tax_and_say_why_for_a_country_that_needs_a_tax_engine()
    {
        var invoice = Calculate("US", "USD", "2026-11-25", true, new LineInput("Widget", 3m, 9.99m));

        Assert.Empty(invoice.Taxes);
        Assert.Equal((2997L, 0L, 2997L), (invoice.NetMinor, invoice.TaxMinor, invoice.TotalMinor));
        Assert.Contains("tax-engine", invoice.TaxNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_tax_as_the_rate_is_seeded_when_the_caller_does_not_say()
    {
        // Seeded VAT rows are tax-inclusive: 120.00 holds 20.00 of VAT.
        var invoice = Calculate("GB", "GBP", "2026-11-25", null, new LineInput("Gift box", 1m, 120m));

        Assert.True(Assert.Single(invoice.Taxes).Inclusive);
        Assert.Equal((10000L, 2000L, 12000L), (invoice.NetMinor, invoice.TaxMinor, invoice.TotalMinor));
    }

    [Theory]
    [InlineData(InvoiceNumbers.Invoices, 1, "INV-000001")]
    [InlineData(InvoiceNumbers.CreditNotes, 42, "CN-000042")]
    [InlineData(InvoiceNumbers.Invoices, 1234567, "INV-1234567")]
    public void Should_number_documents_per_series(string series, long sequence, string number) =>
        Assert.Equal(number, InvoiceNumbers.Format(series, sequence));
}

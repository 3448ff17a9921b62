using System.Globalization;
using BacBos.Consumers.Crm.Domain;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>FX cross rates from a base-currency table, with provenance; money rounded to ISO 4217 minor units.</summary>
public class When_converting_currencies
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TableDate = new(2026, 11, 24, 16, 0, 0, TimeSpan.Zero);

    private static decimal D(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);

    private static FxTable Configured() => new(new FxOptions
    {
        Base = "USD",
        Source = "test desk",
        AsOf = TableDate,
        Rates = new(StringComparer.OrdinalIgnoreCase)
        {
            ["EUR"] = new FxRateOption { Rate = 0.8m },
            ["NGN"] = new FxRateOption { Rate = 1500m, Source = "CBN official window", AsOf = TableDate.AddDays(-1) },
            ["JPY"] = new FxRateOption { Rate = 150m },
            ["KWD"] = new FxRateOption { Rate = 0.3m },
        },
    });

    [Fact]
    public void Should_cross_two_rates_through_the_base_currency()
    {
        var quote = Configured().Quote("EUR", "NGN", Now)!;

        Assert.Equal(1875m, quote.Rate);
        Assert.Equal("EUR: test desk; NGN: CBN official window", quote.Source);
        Assert.Equal(TableDate.AddDays(-1), quote.RecordedAt);
    }

    [Fact]
    public void Should_keep_twelve_decimals_of_a_rate()
    {
        var quote = Configured().Quote("NGN", "EUR", Now)!;

        Assert.Equal(D("0.000533333333"), quote.Rate);
    }

    [Fact]
    public void Should_convert_and_round_to_the_minor_units_of_the_target()
    {
        var table = Configured();

        Assert.Equal(D("2314.81"), table.Quote("EUR", "NGN", Now)!.Convert(D("1.234565")));
        Assert.Equal(D("1234568"), table.Quote("EUR", "JPY", Now)!.Convert(D("6584.36")));
        Assert.Equal(D("12.346"), table.Quote("USD", "KWD", Now)!.Convert(D("41.1525")));
    }

    [Fact]
    public void Should_convert_a_currency_to_itself_at_one()
    {
        var quote = Configured().Quote("GBP", "gbp", Now)!;

        Assert.Equal(1m, quote.Rate);
        Assert.Equal("same currency", quote.Source);
        Assert.Equal(Now, quote.RecordedAt);
    }

    [Fact]
    public void Should_have_no_rate_for_a_currency_outside_the_table() =>
        Assert.Null(Configured().Quote("CHF", "NGN", Now));

    [Fact]
    public void Should_label_the_built_in_table_as_sample_rates()
    {
        var builtIn = new FxTable(new FxOptions());

        var quote = builtIn.Quote("EUR", "NGN", Now)!;

        Assert.Equal(FxTable.BuiltInSource, quote.Source);
        Assert.Equal(decimal.Round(1460m / 0.86m, 12, MidpointRounding.AwayFromZero), quote.Rate);
        Assert.Equal("USD", builtIn.Base);
    }

    [Fact]
    public void Should_refuse_a_configured_table_without_a_date_or_with_a_bad_rate()
    {
        Assert.Throws<InvalidOperationException>(() => new FxTable(new FxOptions { Rates = new() { ["EUR"] = new FxRateOption { Rate = 0.9m } } }));
        Assert.Throws<InvalidOperationException>(() => new FxTable(new FxOptions { AsOf = Now, Rates = new() { ["EUR"] = new FxRateOption { Rate = 0m } } }));
        Assert.Throws<InvalidOperationException>(() => new FxTable(new FxOptions { AsOf = Now, Rates = new() { ["XYZ"] = new FxRateOption { Rate = 1m } } }));
        Assert.Throws<InvalidOperationException>(() => new FxTable(new FxOptions { AsOf = Now, Base = "ABC", Rates = new() { ["EUR"] = new FxRateOption { Rate = 1m } } }));
    }

    [Theory]
    [InlineData("EUR", "2.345", "2.35")]
    [InlineData("EUR", "-2.345", "-2.35")]
    [InlineData("EUR", "2.344", "2.34")]
    [InlineData("JPY", "1234.5", "1235")]
    [InlineData("CLP", "99.49", "99")]
    [InlineData("KWD", "1.0005", "1.001")]
    [InlineData("BHD", "7", "7.000")]
    [InlineData("NGN", "12500", "12500.00")]
    public void Should_round_half_away_from_zero_to_the_minor_units(string currency, string amount, string expected)
    {
        var rounded = Money.Round(D(amount), currency);

        Assert.Equal(expected, rounded.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("EUR", "12.34", 1234)]
    [InlineData("JPY", "1235", 1235)]
    [InlineData("KWD", "1.001", 1001)]
    public void Should_count_minor_units_both_ways(string currency, string amount, long minor)
    {
        Assert.Equal(minor, Money.ToMinor(D(amount), currency));
        Assert.Equal(D(amount), Money.FromMinor(minor, currency));
    }

    [Fact]
    public void Should_sum_tenant_amounts_exactly_from_the_recorded_rate()
    {
        // 1234.56 EUR at 1875 NGN/EUR = 2,314,800.00 NGN; 25 % of it = 578,700.00 NGN.
        var (amount, weighted) = PipelineAmounts.InTenantCurrency(1875m, "NGN", 1234.56m, 25m);

        Assert.Equal(231480000, amount);
        Assert.Equal(57870000, weighted);
    }

    [Fact]
    public void Should_round_a_weighted_amount_once()
    {
        // 0.01 EUR at 1 = 0.01; 50 % = 0.005 → 0.01 (half away from zero), not 0.
        var (amount, weighted) = PipelineAmounts.InTenantCurrency(1m, "EUR", 0.01m, 50m);

        Assert.Equal(1, amount);
        Assert.Equal(1, weighted);
    }
}

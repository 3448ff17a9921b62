using System.Globalization;
using BacBos.Consumers.Activation.Reference;

namespace BacBos.Behaviour.Tests.Activation.Reference;

public class When_looking_up_tax_rates
{
    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("NG", null, "VAT standard", "2020-01-31", "5")]
    [InlineData("NG", null, "VAT standard", "2020-02-01", "7.5")]
    [InlineData("ZA", null, "VAT standard", "2018-03-31", "14")]
    [InlineData("ZA", null, "VAT standard", "2018-04-01", "15")]
    [InlineData("CA", "NS", "HST", "2025-03-31", "15")]
    [InlineData("CA", "NS", "HST", "2025-04-01", "14")]
    [InlineData("IN", null, "GST luxury and sin goods", "2025-09-21", "28")]
    [InlineData("IN", null, "GST luxury and sin goods", "2025-09-22", "40")]
    [InlineData("IN", null, "GST standard", "2025-09-22", "18")]
    [InlineData("GB", null, "VAT standard", "2011-01-03", "17.5")]
    [InlineData("GB", null, "VAT standard", "2011-01-04", "20")]
    [InlineData("ca", "on", "hst", "2026-01-01", "13")]
    [InlineData("CA", "QC", "QST", "2026-01-01", "9.975")]
    [InlineData("AU", null, "GST", "2026-01-01", "10")]
    public void Should_pick_the_rate_in_force_on_the_date(string country, string? subdivision, string name, string date, string expected)
    {
        var row = TaxRateCatalog.InForce(country, subdivision, name, Day(date));

        Assert.NotNull(row);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), row.RatePercent);
    }

    [Theory]
    [InlineData("IN", null, "GST intermediate", "2025-09-22")]
    [InlineData("NG", null, "VAT standard", "1990-06-30")]
    [InlineData("CA", null, "HST", "2026-01-01")]
    [InlineData("CA", "NS", "GST", "2026-01-01")]
    [InlineData("XX", null, "VAT standard", "2026-01-01")]
    public void Should_find_no_rate_outside_any_seeded_period(string country, string? subdivision, string name, string date)
    {
        Assert.Null(TaxRateCatalog.InForce(country, subdivision, name, Day(date)));
    }

    [Fact]
    public void Should_keep_the_abolished_indian_slab_until_its_last_day()
    {
        var row = TaxRateCatalog.InForce("IN", null, "GST intermediate", Day("2025-09-21"));

        Assert.NotNull(row);
        Assert.Equal(12m, row.RatePercent);
    }

    [Fact]
    public void Should_never_have_overlapping_periods_for_the_same_rate()
    {
        var groups = TaxRateCatalog.All.GroupBy(r => (r.Country, r.Subdivision, r.Name));

        Assert.All(groups, group =>
        {
            var ordered = group.OrderBy(r => r.ValidFrom).ToArray();
            for (var i = 1; i < ordered.Length; i++)
            {
                Assert.NotNull(ordered[i - 1].ValidTo);
                Assert.True(ordered[i - 1].ValidTo!.Value < ordered[i].ValidFrom, $"{group.Key} overlaps at {ordered[i].ValidFrom}");
            }
        });
        Assert.All(TaxRateCatalog.All, r => Assert.True(r.ValidTo is null || r.ValidFrom <= r.ValidTo.Value, $"{r.Country} {r.Name}"));
    }

    [Fact]
    public void Should_seed_every_jurisdiction_of_the_reference()
    {
        string[] expected = ["AU", "CA", "DE", "ES", "FR", "GB", "GH", "IE", "IN", "IT", "KE", "NG", "NL", "US", "ZA"];

        Assert.Equal(expected, TaxRateCatalog.All.Select(r => r.Country).Distinct().Order(StringComparer.Ordinal));
        Assert.All(TaxRateCatalog.All, r => Assert.True(Iso3166.TryGet(r.Country, out _)));
    }

    [Fact]
    public void Should_seed_canada_per_province_and_territory()
    {
        string[] provinces = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"];

        var rows = TaxRateCatalog.For("CA");

        Assert.Equal(provinces, rows.Select(r => r.Subdivision!).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.NotNull(r.Subdivision));
    }

    [Fact]
    public void Should_seed_only_a_marked_placeholder_for_the_united_states()
    {
        var row = Assert.Single(TaxRateCatalog.For("us"));

        Assert.Equal(0m, row.RatePercent);
        Assert.Contains("tax-engine adapter", row.Notes, StringComparison.Ordinal);
        Assert.True(TaxRateCatalog.RequiresTaxEngine("US"));
        Assert.False(TaxRateCatalog.RequiresTaxEngine("NG"));
    }

    [Fact]
    public void Should_mark_rows_whose_start_date_is_not_in_the_reference()
    {
        var germany = TaxRateCatalog.For("DE");

        Assert.Equal(2, germany.Count);
        Assert.All(germany, r => Assert.Contains("start date not verified", r.Notes, StringComparison.Ordinal));
        Assert.DoesNotContain("start date not verified", TaxRateCatalog.InForce("NG", null, "VAT standard", Day("2021-01-01"))!.Notes ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_resolve_an_alpha_3_country_code()
    {
        Assert.Equal(TaxRateCatalog.For("NG"), TaxRateCatalog.For("nga"));
        Assert.Equal(2, TaxRateCatalog.For("NGA").Count);
        Assert.Equal(7.5m, TaxRateCatalog.InForce("NGA", null, "VAT standard", Day("2024-05-01"))?.RatePercent);
        Assert.True(TaxRateCatalog.RequiresTaxEngine("usa"));
    }

    [Fact]
    public void Should_return_nothing_for_a_country_without_seeded_rates()
    {
        Assert.Empty(TaxRateCatalog.For("JP"));
    }
}

using BacBos.Consumers.Activation.Reference;

namespace BacBos.Behaviour.Tests.Activation.Reference;

public class When_looking_up_currencies_and_countries
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("CLP", 0)]
    [InlineData("UGX", 0)]
    [InlineData("ISK", 0)]
    [InlineData("KRW", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("TND", 3)]
    [InlineData("USD", 2)]
    [InlineData("NGN", 2)]
    [InlineData("EUR", 2)]
    public void Should_know_the_minor_unit_exponent(string code, int exponent)
    {
        Assert.True(Iso4217.TryGet(code, out var info));
        Assert.Equal(exponent, info.Exponent);
        Assert.Equal(code, info.Code);
    }

    [Fact]
    public void Should_look_up_a_currency_ignoring_case()
    {
        Assert.True(Iso4217.TryGet("jpy", out var info));
        Assert.Equal("JPY", info.Code);
    }

    [Theory]
    [InlineData("XAU")]
    [InlineData("XAG")]
    [InlineData("XTS")]
    [InlineData("XXX")]
    [InlineData("XDR")]
    [InlineData("USN")]
    [InlineData("CLF")]
    [InlineData("HRK")]
    [InlineData("")]
    [InlineData(null)]
    public void Should_not_accept_fund_metal_test_or_withdrawn_codes(string? code)
    {
        Assert.False(Iso4217.TryGet(code, out _));
    }

    [Fact]
    public void Should_list_each_currency_once_as_three_upper_case_letters()
    {
        Assert.True(Iso4217.All.Count > 150);
        Assert.All(Iso4217.All, c => Assert.Matches("^[A-Z]{3}$", c.Code));
        Assert.All(Iso4217.All, c => Assert.InRange(c.Exponent, 0, 3));
        Assert.Equal(Iso4217.All.Count, Iso4217.All.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("gb", "GB")]
    [InlineData("GBR", "GB")]
    [InlineData("nga", "NG")]
    [InlineData("CI", "CI")]
    [InlineData("civ", "CI")]
    [InlineData("US", "US")]
    [InlineData(" ng ", "NG")]
    public void Should_look_up_a_country_by_alpha_2_or_alpha_3(string code, string alpha2)
    {
        Assert.True(Iso3166.TryGet(code, out var country));
        Assert.Equal(alpha2, country.Alpha2);
    }

    [Theory]
    [InlineData("UK")]
    [InlineData("XK")]
    [InlineData("EU")]
    [InlineData("ZZ")]
    [InlineData("GBRX")]
    [InlineData(null)]
    public void Should_not_accept_codes_that_are_not_officially_assigned(string? code)
    {
        Assert.False(Iso3166.TryGet(code, out _));
    }

    [Fact]
    public void Should_list_all_249_officially_assigned_countries_once()
    {
        Assert.Equal(249, Iso3166.All.Count);
        Assert.Equal(249, Iso3166.All.Select(c => c.Alpha2).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(249, Iso3166.All.Select(c => c.Alpha3).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Iso3166.All, c => Assert.Matches("^[A-Z]{2}$", c.Alpha2));
        Assert.All(Iso3166.All, c => Assert.Matches("^[A-Z]{3}$", c.Alpha3));
    }
}

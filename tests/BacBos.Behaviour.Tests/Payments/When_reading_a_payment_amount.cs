using BacBos.Consumers.Payments.Domain;

namespace BacBos.Behaviour.Tests.Payments;

/// <summary>Amounts are exact per ISO 4217 exponent, in major or minor units; more precision than the currency has is refused.</summary>
public class When_reading_a_payment_amount
{
    [Theory]
    [InlineData("12.34", "USD", 1234L)]
    [InlineData("12.3", "usd", 1230L)]
    [InlineData("1500", "JPY", 1500L)]
    [InlineData("2990", "CLP", 2990L)]
    [InlineData("1.234", "KWD", 1234L)]
    [InlineData("0.001", "KWD", 1L)]
    public void Major_units_should_become_exact_minor_units(string amount, string currency, long minor)
    {
        var (value, problem) = PaymentAmounts.Read(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), null, currency);

        Assert.Null(problem);
        Assert.Equal(new PaymentAmount(minor, currency.ToUpperInvariant()), value);
    }

    [Theory]
    [InlineData("12.345", "USD")]
    [InlineData("100.5", "JPY")]
    [InlineData("1.5", "CLP")]
    [InlineData("1.2345", "KWD")]
    public void More_decimals_than_the_currency_has_should_be_unprocessable(string amount, string currency)
    {
        var (value, problem) = PaymentAmounts.Read(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), null, currency);

        Assert.Null(value);
        Assert.True(problem!.Unprocessable);
        Assert.Equal("amount", problem.Field);
    }

    [Fact]
    public void Minor_units_should_be_taken_as_they_are()
    {
        var (value, _) = PaymentAmounts.Read(null, 1234, "KWD");

        Assert.Equal(1.234m, value!.Major);
        Assert.Equal("1.234 KWD", value.ToString());
    }

    [Theory]
    [InlineData(null, null, "USD", "amount")]
    [InlineData(1.0, 100L, "USD", "amount")]
    [InlineData(-1.0, null, "USD", "amount")]
    [InlineData(0.0, null, "USD", "amount")]
    [InlineData(null, 0L, "USD", "amount_minor")]
    [InlineData(1.0, null, "XYZ", "currency")]
    [InlineData(1.0, null, null, "currency")]
    public void Missing_or_impossible_values_should_name_the_field(double? amount, long? minor, string? currency, string field)
    {
        var (value, problem) = PaymentAmounts.Read(amount is { } a ? (decimal)a : null, minor, currency);

        Assert.Null(value);
        Assert.False(problem!.Unprocessable);
        Assert.Equal(field, problem.Field);
    }
}

using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Payments;
using BacBos.Consumers.Payments.Domain;

namespace BacBos.Behaviour.Tests.Payments;

/// <summary>Explicit gateways are honoured; auto routes by currency and tenant preference; unsupported currencies convert.</summary>
public class When_choosing_a_gateway
{
    private static readonly PaymentsOptions Defaults = new();
    private static readonly GatewaySelector Selector = new(Defaults.Stripe, Defaults.Paystack);

    [Theory]
    [InlineData("NGN", "paystack")]
    [InlineData("GHS", "paystack")]
    [InlineData("ZAR", "paystack")]
    [InlineData("KES", "paystack")]
    [InlineData("USD", "stripe")]
    [InlineData("EUR", "stripe")]
    [InlineData("JPY", "stripe")]
    public void Auto_should_route_by_currency(string currency, string gateway)
    {
        var choice = Selector.Select(PaymentGateways.Auto, currency, null);

        Assert.Equal(gateway, choice.Gateway);
        Assert.Equal(currency, choice.ChargeCurrency);
    }

    [Fact]
    public void Auto_should_honour_the_tenant_preference_when_it_can_charge_the_currency()
    {
        Assert.Equal("paystack", Selector.Select(PaymentGateways.Auto, "USD", "paystack").Gateway);
        Assert.Equal("stripe", Selector.Select(PaymentGateways.Auto, "NGN", "stripe").Gateway);
        Assert.Equal("tenant preference", Selector.Select(PaymentGateways.Auto, "USD", "paystack").Reason);
    }

    [Fact]
    public void A_preference_that_cannot_charge_the_currency_should_fall_back_to_routing()
    {
        var choice = Selector.Select(PaymentGateways.Auto, "EUR", "paystack");

        Assert.Equal("stripe", choice.Gateway);
        Assert.False(choice.NeedsConversion("EUR"));
    }

    [Fact]
    public void An_explicit_gateway_should_be_kept_and_charge_its_settlement_currency()
    {
        var choice = Selector.Select(PaymentGateways.Paystack, "EUR", null);

        Assert.Equal("paystack", choice.Gateway);
        Assert.Equal("NGN", choice.ChargeCurrency);
        Assert.True(choice.NeedsConversion("EUR"));
    }

    [Fact]
    public void A_configured_stripe_currency_list_should_make_other_currencies_convert_to_usd()
    {
        var selector = new GatewaySelector(new GatewayCurrencyOptions { Currencies = ["USD", "EUR"], SettlementCurrency = "USD" }, Defaults.Paystack);

        Assert.Equal("USD", selector.Select(PaymentGateways.Stripe, "JPY", null).ChargeCurrency);
        Assert.Equal("EUR", selector.Select(PaymentGateways.Stripe, "EUR", null).ChargeCurrency);
    }

    [Theory]
    [InlineData(100L, "EUR", "1875", 187500L, "NGN")]
    [InlineData(1L, "EUR", "0.00333", 0L, "KWD")]
    [InlineData(1999L, "USD", "155", 3098L, "JPY")]
    [InlineData(1000L, "JPY", "0.000307", 307L, "KWD")]
    public void Conversion_should_round_once_to_the_charge_currency(long minor, string from, string rate, long expected, string to)
    {
        var quote = new FxQuote(from, to, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), "test", DateTimeOffset.UnixEpoch);

        var charge = PaymentCharge.Convert(new PaymentAmount(minor, from), quote);

        if (expected == 0)
        {
            Assert.Null(charge);
            return;
        }

        Assert.Equal(new PaymentAmount(expected, to), charge!.Charged);
        Assert.Same(quote, charge.Quote);
    }
}

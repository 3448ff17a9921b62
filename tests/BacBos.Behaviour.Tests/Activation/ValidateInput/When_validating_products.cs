using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Contracts.Activation;

namespace BacBos.Behaviour.Tests.Activation.ValidateInput;

public class When_validating_products
{
    [Theory]
    [InlineData("JPY", "10.5")]
    [InlineData("JPY", "0.1")]
    [InlineData("CLP", "999.99")]
    [InlineData("KWD", "1.2345")]
    [InlineData("USD", "1.234")]
    [InlineData("NGN", "0.001")]
    public void Should_reject_a_price_with_more_decimals_than_the_currency_exponent(string currency, string price)
    {
        var input = ValidActivationInput.WithPrice(currency, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture));

        var errors = ActivationInputValidator.Validate(input);

        Assert.Equal(["products[0].price"], errors.Keys);
        Assert.Contains(currency, errors["products[0].price"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JPY", "10")]
    [InlineData("JPY", "10.00")]
    [InlineData("KWD", "1.234")]
    [InlineData("BHD", "0.005")]
    [InlineData("USD", "1.23")]
    [InlineData("USD", "1.230")]
    [InlineData("USD", "0")]
    public void Should_accept_a_price_that_fits_the_currency_minor_unit(string currency, string price)
    {
        var input = ValidActivationInput.WithPrice(currency, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Empty(ActivationInputValidator.Validate(input));
    }

    [Fact]
    public void Should_skip_the_decimal_check_when_the_currency_is_invalid()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.WithPrice("ABC", 1.23456m));

        Assert.Equal(["currency"], errors.Keys);
    }

    [Fact]
    public void Should_reject_a_negative_price()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.WithPrice("USD", -0.01m));

        Assert.Equal(["products[0].price"], errors.Keys);
        Assert.Contains("negative", errors["products[0].price"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_key_every_product_problem_by_index_and_field()
    {
        var products = new ProductInput?[]
        {
            new("Fine", Price: 1m),
            new(" ", Sku: new string('s', 65), Kind: "gadget", Price: 1m, Description: new string('d', 2001)),
            null,
            new(new string('n', 201)),
        };
        var input = ValidActivationInput.Create() with { Products = products! };

        var errors = ActivationInputValidator.Validate(input);

        string[] expected =
        [
            "products[1].description", "products[1].kind", "products[1].name", "products[1].sku", "products[2]", "products[3].name",
        ];
        Assert.Equal(expected, errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_reject_a_repeated_sku()
    {
        var input = ValidActivationInput.Create() with { Products = [new("A", Sku: "SKU-1"), new("B", Sku: "sku-1")] };

        var errors = ActivationInputValidator.Validate(input);

        Assert.Equal(["products[1].sku"], errors.Keys);
    }

    [Theory]
    [InlineData("Service")]
    [InlineData("product")]
    public void Should_accept_a_known_product_kind_in_any_case(string kind)
    {
        var input = ValidActivationInput.Create() with { Products = [new("A", Kind: kind)] };

        Assert.Empty(ActivationInputValidator.Validate(input));
    }

    [Fact]
    public void Should_reject_more_than_500_products()
    {
        var products = Enumerable.Range(0, 501).Select(i => new ProductInput($"Item {i}")).ToArray();

        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Products = products });

        Assert.Equal(["products"], errors.Keys);
    }

    [Fact]
    public void Should_accept_exactly_500_products()
    {
        var products = Enumerable.Range(0, 500).Select(i => new ProductInput($"Item {i}")).ToArray();

        Assert.Empty(ActivationInputValidator.Validate(ValidActivationInput.Create() with { Products = products }));
    }
}

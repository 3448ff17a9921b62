using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Contracts.Activation;

namespace BacBos.Behaviour.Tests.Activation.ValidateInput;

public class When_validating_activation_input
{
    private static readonly string[] RequiredKeys = ["business_name", "region", "currency", "industry", "channels", "payments"];

    [Fact]
    public void Should_accept_a_complete_valid_input()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create());

        Assert.Empty(errors);
    }

    [Fact]
    public void Should_accept_an_input_with_only_the_required_fields()
    {
        var input = new BusinessActivationInput("Acme", "GBR", "gbp", "Retail", ["sms"], ["stripe"]);

        Assert.Empty(ActivationInputValidator.Validate(input));
    }

    [Fact]
    public void Should_report_every_missing_required_field_at_once()
    {
        var errors = ActivationInputValidator.Validate(new BusinessActivationInput(null, null, null, null, null, null));

        Assert.Equal(RequiredKeys.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(errors.Values, messages => Assert.NotEmpty(messages));
    }

    [Fact]
    public void Should_report_every_required_field_when_the_input_is_null()
    {
        var errors = ActivationInputValidator.Validate(null);

        Assert.Equal(RequiredKeys.Order(StringComparer.Ordinal), errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("business_name")]
    [InlineData("region")]
    [InlineData("currency")]
    [InlineData("industry")]
    [InlineData("channels")]
    [InlineData("payments")]
    public void Should_report_only_the_missing_required_field(string field)
    {
        var valid = ValidActivationInput.Create();
        var input = field switch
        {
            "business_name" => valid with { BusinessName = null },
            "region" => valid with { Region = null },
            "currency" => valid with { Currency = null },
            "industry" => valid with { Industry = null },
            "channels" => valid with { Channels = null },
            "payments" => valid with { Payments = null },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var errors = ActivationInputValidator.Validate(input);

        Assert.Equal([field], errors.Keys);
        Assert.Contains("required", errors[field][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("business_name")]
    [InlineData("region")]
    [InlineData("currency")]
    [InlineData("industry")]
    public void Should_treat_a_blank_required_string_as_missing(string field)
    {
        var valid = ValidActivationInput.Create();
        var input = field switch
        {
            "business_name" => valid with { BusinessName = "   " },
            "region" => valid with { Region = "" },
            "currency" => valid with { Currency = " " },
            "industry" => valid with { Industry = "\t" },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var errors = ActivationInputValidator.Validate(input);

        Assert.Equal([field], errors.Keys);
    }

    [Theory]
    [InlineData("A")]
    [InlineData(" B ")]
    [InlineData("Acme\nFoods")]
    [InlineData("Acme\u0007")]
    public void Should_reject_a_business_name_too_short_or_with_control_characters(string name)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { BusinessName = name });

        Assert.Equal(["business_name"], errors.Keys);
    }

    [Fact]
    public void Should_reject_a_business_name_longer_than_200_characters()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { BusinessName = new string('x', 201) });

        Assert.Equal(["business_name"], errors.Keys);
        Assert.Contains("201", errors["business_name"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_accept_a_business_name_of_exactly_200_characters_after_trimming()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { BusinessName = "  " + new string('x', 200) + "  " });

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("ZZZ")]
    [InlineData("UK")]
    [InlineData("United Kingdom")]
    [InlineData("N")]
    public void Should_reject_a_region_that_is_not_an_iso_3166_country(string region)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Region = region });

        Assert.Equal(["region"], errors.Keys);
    }

    [Theory]
    [InlineData("ng")]
    [InlineData("NGA")]
    [InlineData(" gbr ")]
    [InlineData("us")]
    public void Should_accept_a_region_as_alpha_2_or_alpha_3_in_any_case(string region)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Region = region });

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("XAU")]
    [InlineData("XTS")]
    [InlineData("XXX")]
    [InlineData("ABC")]
    [InlineData("USDD")]
    [InlineData("$")]
    public void Should_reject_a_currency_that_is_not_an_active_iso_4217_code(string currency)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Currency = currency });

        Assert.Equal(["currency"], errors.Keys);
    }

    [Fact]
    public void Should_reject_an_unknown_industry_and_list_the_allowed_values()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Industry = "mining" });

        Assert.Equal(["industry"], errors.Keys);
        var message = errors["industry"][0];
        Assert.Contains("ecommerce", message, StringComparison.Ordinal);
        Assert.Contains("real_estate", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_an_empty_channel_list()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Channels = [] });

        Assert.Equal(["channels"], errors.Keys);
    }

    [Fact]
    public void Should_reject_more_than_ten_payment_providers()
    {
        string[] payments = ["stripe", "paystack", "paypal", "flutterwave", "mpesa", "bank_transfer", "cash_on_delivery", "a", "b", "c", "d"];

        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Payments = payments });

        Assert.Contains("payments", errors.Keys);
        Assert.Contains("11", errors["payments"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_key_an_unknown_channel_by_its_index()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Channels = ["whatsapp", "pigeon"] });

        Assert.Equal(["channels[1]"], errors.Keys);
        Assert.Contains("web_chat", errors["channels[1]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_a_duplicate_channel_even_in_another_case()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Channels = ["email", "sms", " EMAIL "] });

        Assert.Equal(["channels[2]"], errors.Keys);
        Assert.Contains("channels[0]", errors["channels[2]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_an_empty_channel_entry()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Channels = ["email", " "] });

        Assert.Equal(["channels[1]"], errors.Keys);
    }

    [Fact]
    public void Should_reject_unknown_and_duplicate_payment_providers()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Payments = ["venmo", "stripe", "Stripe"] });

        Assert.Equal(["payments[0]", "payments[2]"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_report_errors_in_several_fields_at_once()
    {
        var input = ValidActivationInput.Create() with
        {
            BusinessName = "X",
            Region = "ATLANTIS",
            Currency = "XAU",
            Industry = "mining",
            Channels = ["email", "carrier_pigeon"],
            Payments = [],
            FeatureToggles = new Dictionary<string, bool> { ["teleport"] = true },
            Domain = "https://acme.com",
            AdminContact = new AdminContact("Ada", "not-an-email"),
            ModelProvider = "skynet",
            Plan = "platinum",
            Products = [new ProductInput(null, Price: -1m)],
        };

        var errors = ActivationInputValidator.Validate(input);

        string[] expected =
        [
            "admin_contact.email", "business_name", "channels[1]", "currency", "domain", "feature_toggles.teleport",
            "industry", "model_provider", "payments", "plan", "products[0].name", "products[0].price", "region",
        ];
        Assert.Equal(expected, errors.Keys.Order(StringComparer.Ordinal));
        Assert.All(errors, pair => Assert.All(pair.Value, message => Assert.EndsWith(".", message, StringComparison.Ordinal)));
    }
}

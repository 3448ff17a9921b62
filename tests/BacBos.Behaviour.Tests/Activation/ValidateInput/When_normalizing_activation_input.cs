using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Contracts.Activation;

namespace BacBos.Behaviour.Tests.Activation.ValidateInput;

public class When_normalizing_activation_input
{
    private static BusinessActivationInput Messy() => new(
        BusinessName: "  Acme Foods  ",
        Region: " nga ",
        Currency: "ngn",
        Industry: " ECommerce ",
        Channels: ["SMS", " WhatsApp ", "email"],
        Payments: ["Paystack"],
        FeatureToggles: new Dictionary<string, bool> { [" POS "] = true, ["Marketing"] = false },
        Domain: " Shop.Acme.NG. ",
        AdminContact: new AdminContact("  ", " Ada.Obi@Acme.NG ", "+234 (801) 234-5678"),
        ModelProvider: " Anthropic ",
        Products: [new ProductInput("  Jollof rice ", " ", " Product ", 2500m, "  ")],
        Plan: null);

    [Fact]
    public void Should_produce_the_canonical_form()
    {
        var normalized = ActivationInputNormalizer.Normalize(Messy());

        Assert.Equal("Acme Foods", normalized.BusinessName);
        Assert.Equal("NG", normalized.Region);
        Assert.Equal("NGN", normalized.Currency);
        Assert.Equal("ecommerce", normalized.Industry);
        Assert.Equal(["sms", "whatsapp", "email"], normalized.Channels!);
        Assert.Equal(["paystack"], normalized.Payments!);
        Assert.Equal("shop.acme.ng", normalized.Domain);
        Assert.Equal("anthropic", normalized.ModelProvider);
        Assert.Equal("starter", normalized.Plan);
    }

    [Fact]
    public void Should_lower_case_the_feature_toggle_keys()
    {
        var normalized = ActivationInputNormalizer.Normalize(Messy());

        Assert.Equal(["marketing", "pos"], normalized.FeatureToggles!.Keys.Order(StringComparer.Ordinal));
        Assert.True(normalized.FeatureToggles["pos"]);
        Assert.False(normalized.FeatureToggles["marketing"]);
    }

    [Fact]
    public void Should_canonicalise_the_admin_contact()
    {
        var contact = ActivationInputNormalizer.Normalize(Messy()).AdminContact!;

        Assert.Null(contact.Name);
        Assert.Equal("Ada.Obi@acme.ng", contact.Email);
        Assert.Equal("+2348012345678", contact.Phone);
    }

    [Fact]
    public void Should_trim_products_and_drop_blank_optional_text()
    {
        var product = Assert.Single(ActivationInputNormalizer.Normalize(Messy()).Products!);

        Assert.Equal(new ProductInput("Jollof rice", null, "product", 2500m, null), product);
    }

    [Fact]
    public void Should_keep_a_plan_that_was_given()
    {
        var normalized = ActivationInputNormalizer.Normalize(Messy() with { Plan = "Enterprise" });

        Assert.Equal("enterprise", normalized.Plan);
    }

    [Fact]
    public void Should_produce_an_input_that_is_still_valid_and_stable()
    {
        var once = ActivationInputNormalizer.Normalize(Messy());
        var twice = ActivationInputNormalizer.Normalize(once);

        Assert.Empty(ActivationInputValidator.Validate(once));
        Assert.Equal(once.Channels!, twice.Channels!);
        Assert.Equal(once.Domain, twice.Domain);
        Assert.Equal(once.AdminContact, twice.AdminContact);
    }

    [Fact]
    public void Should_refuse_an_invalid_input()
    {
        var exception = Assert.Throws<ArgumentException>(() => ActivationInputNormalizer.Normalize(Messy() with { Currency = "XAU" }));

        Assert.Contains("currency", exception.Message, StringComparison.Ordinal);
    }
}

using BacBos.Consumers.Activation.ValidateInput;
using BacBos.Contracts.Activation;

namespace BacBos.Behaviour.Tests.Activation.ValidateInput;

public class When_validating_optional_activation_fields
{
    [Fact]
    public void Should_accept_an_input_without_any_optional_field()
    {
        var input = ValidActivationInput.Create() with
        {
            FeatureToggles = null,
            Domain = null,
            AdminContact = null,
            ModelProvider = null,
            Products = null,
            Plan = null,
        };

        Assert.Empty(ActivationInputValidator.Validate(input));
    }

    [Theory]
    [InlineData("Shop.Acme.NG")]
    [InlineData("acme.com.")]
    [InlineData("my-shop.example.co.uk")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("a1.io")]
    public void Should_accept_a_valid_domain(string domain)
    {
        Assert.Empty(ActivationInputValidator.Validate(ValidActivationInput.Create() with { Domain = domain }));
    }

    [Theory]
    [InlineData("https://acme.com", "scheme")]
    [InlineData("acme.com/shop", "path")]
    [InlineData("acme.com:8080", "port")]
    [InlineData("192.168.1.10", "IP address")]
    [InlineData("[::1]", "IP address")]
    [InlineData("localhost", "two labels")]
    [InlineData("acme.c0m", "top-level domain")]
    [InlineData("acme.c", "top-level domain")]
    [InlineData("-acme.com", "hyphen")]
    [InlineData("acme-.com", "hyphen")]
    [InlineData("ac_me.com", "letters a-z")]
    [InlineData("bücher.example", "punycode")]
    [InlineData("acme..com", "empty labels")]
    [InlineData("", "must not be empty")]
    public void Should_reject_a_domain_that_is_not_a_bare_host_name(string domain, string expectedFragment)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Domain = domain });

        Assert.Equal(["domain"], errors.Keys);
        Assert.Contains(errors["domain"], message => message.Contains(expectedFragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_reject_a_domain_label_longer_than_63_characters()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Domain = new string('a', 64) + ".com" });

        Assert.Equal(["domain"], errors.Keys);
    }

    [Fact]
    public void Should_accept_a_domain_label_of_exactly_63_characters()
    {
        Assert.Empty(ActivationInputValidator.Validate(ValidActivationInput.Create() with { Domain = new string('a', 63) + ".com" }));
    }

    [Fact]
    public void Should_reject_a_domain_longer_than_253_characters()
    {
        var domain = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".com"; // 259 characters

        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Domain = domain });

        Assert.Equal(["domain"], errors.Keys);
        Assert.Contains(errors["domain"], message => message.Contains("253", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_reject_an_unknown_feature_toggle_keyed_by_its_name()
    {
        var toggles = new Dictionary<string, bool> { ["crm"] = true, ["foo"] = true };

        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { FeatureToggles = toggles });

        Assert.Equal(["feature_toggles.foo"], errors.Keys);
    }

    [Fact]
    public void Should_reject_two_toggles_for_the_same_module_in_different_case()
    {
        var toggles = new Dictionary<string, bool> { ["crm"] = true, ["CRM"] = false };

        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { FeatureToggles = toggles });

        Assert.Equal(["feature_toggles.CRM"], errors.Keys);
    }

    [Fact]
    public void Should_reject_more_than_fifty_feature_toggles()
    {
        var toggles = Enumerable.Range(0, 51).ToDictionary(i => $"module_{i}", _ => true);

        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { FeatureToggles = toggles });

        Assert.Contains("feature_toggles", errors.Keys);
        Assert.Contains("51", errors["feature_toggles"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_require_an_email_when_an_admin_contact_is_given()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { AdminContact = new AdminContact("Ada", null) });

        Assert.Equal(["admin_contact.email"], errors.Keys);
        Assert.Contains("required", errors["admin_contact.email"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("Ada <ada@acme.ng>")]
    [InlineData("ada@localhost")]
    [InlineData("ada@acme")]
    [InlineData("ada@acme.")]
    [InlineData("ada @acme.ng")]
    [InlineData("ada@@acme.ng")]
    [InlineData("ada@[10.0.0.1]")]
    public void Should_reject_an_invalid_admin_email(string email)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { AdminContact = new AdminContact("Ada", email) });

        Assert.Equal(["admin_contact.email"], errors.Keys);
    }

    [Theory]
    [InlineData("ada@acme.ng")]
    [InlineData("Ada.Obi+admin@Mail.Acme.co.uk")]
    [InlineData(" ada@acme.ng ")]
    public void Should_accept_a_plain_admin_email(string email)
    {
        Assert.Empty(ActivationInputValidator.Validate(ValidActivationInput.Create() with { AdminContact = new AdminContact(null, email) }));
    }

    [Theory]
    [InlineData("08012345678")]
    [InlineData("+123456")]
    [InlineData("+1234567890123456")]
    [InlineData("+234-801-ABC-5678")]
    [InlineData("+0123456789")]
    [InlineData("")]
    public void Should_reject_a_phone_that_is_not_an_international_number(string phone)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { AdminContact = new AdminContact("Ada", "ada@acme.ng", phone) });

        Assert.Equal(["admin_contact.phone"], errors.Keys);
    }

    [Theory]
    [InlineData("+2348012345678")]
    [InlineData("+1 (415) 555-0100")]
    [InlineData("+1234567")]
    [InlineData("+123456789012345")]
    public void Should_accept_an_international_phone(string phone)
    {
        Assert.Empty(ActivationInputValidator.Validate(ValidActivationInput.Create() with { AdminContact = new AdminContact("Ada", "ada@acme.ng", phone) }));
    }

    [Fact]
    public void Should_reject_an_admin_name_longer_than_200_characters()
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { AdminContact = new AdminContact(new string('n', 201), "ada@acme.ng") });

        Assert.Equal(["admin_contact.name"], errors.Keys);
    }

    [Theory]
    [InlineData("skynet")]
    [InlineData("")]
    public void Should_reject_an_unknown_model_provider(string provider)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { ModelProvider = provider });

        Assert.Equal(["model_provider"], errors.Keys);
        Assert.Contains("anthropic", errors["model_provider"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("platinum")]
    [InlineData(" ")]
    public void Should_reject_an_unknown_plan(string plan)
    {
        var errors = ActivationInputValidator.Validate(ValidActivationInput.Create() with { Plan = plan });

        Assert.Equal(["plan"], errors.Keys);
        Assert.Contains("enterprise", errors["plan"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ENTERPRISE")]
    [InlineData(" starter ")]
    public void Should_accept_a_known_plan_in_any_case(string plan)
    {
        Assert.Empty(ActivationInputValidator.Validate(ValidActivationInput.Create() with { Plan = plan }));
    }
}

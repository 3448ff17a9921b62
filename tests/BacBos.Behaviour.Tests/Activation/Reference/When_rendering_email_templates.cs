using BacBos.Consumers.Activation.Reference;

namespace BacBos.Behaviour.Tests.Activation.Reference;

public class When_rendering_email_templates
{
    [Fact]
    public void Should_seed_the_default_templates()
    {
        string[] expected = ["document_shared", "invoice", "lead_follow_up", "password_reset", "payment_failed", "payment_receipt", "welcome"];

        Assert.Equal(expected, EmailTemplateSeeds.Default.Select(t => t.Code).Order(StringComparer.Ordinal));
        Assert.All(EmailTemplateSeeds.Default, t => Assert.Contains("{{business_name}}", t.Subject + t.BodyText, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_replace_known_placeholders_and_leave_unknown_ones()
    {
        var values = new Dictionary<string, string> { ["business_name"] = "Acme", ["amount"] = "12.50" };

        var text = EmailTemplateSeeds.Render("{{business_name}} asks {{ amount }} by {{due_date}}.", values);

        Assert.Equal("Acme asks 12.50 by {{due_date}}.", text);
    }

    [Fact]
    public void Should_not_expand_placeholders_inside_values()
    {
        var values = new Dictionary<string, string> { ["customer_name"] = "{{business_name}}", ["business_name"] = "Acme" };

        Assert.Equal("Hi {{business_name}} from Acme", EmailTemplateSeeds.Render("Hi {{customer_name}} from {{business_name}}", values));
    }

    [Theory]
    [InlineData("no placeholders", "no placeholders")]
    [InlineData("open {{business_name", "open {{business_name")]
    [InlineData("{{ {{business_name}}", "{{ Acme")]
    [InlineData("{{}} {{business_name}}}", "{{}} Acme}")]
    public void Should_cope_with_unbalanced_braces(string template, string expected)
    {
        var values = new Dictionary<string, string> { ["business_name"] = "Acme" };

        Assert.Equal(expected, EmailTemplateSeeds.Render(template, values));
    }

    [Fact]
    public void Should_render_the_welcome_template_without_leftover_business_name()
    {
        var welcome = EmailTemplateSeeds.Default.Single(t => t.Code == "welcome");
        var values = new Dictionary<string, string> { ["business_name"] = "Acme" };

        var body = EmailTemplateSeeds.Render(welcome.BodyText, values);

        Assert.DoesNotContain("{{business_name}}", body, StringComparison.Ordinal);
        Assert.Contains("Welcome to Acme", body, StringComparison.Ordinal);
        Assert.Contains("{{customer_name}}", body, StringComparison.Ordinal);
    }
}

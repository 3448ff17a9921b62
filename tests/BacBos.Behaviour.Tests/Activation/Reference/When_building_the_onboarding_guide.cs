using BacBos.Consumers.Activation.Reference;

namespace BacBos.Behaviour.Tests.Activation.Reference;

public class When_building_the_onboarding_guide
{
    private const string Console = "https://acme.console.example.com";
    private const string Api = "https://acme.api.example.com";

    [Fact]
    public void Should_return_nine_steps_in_order()
    {
        var steps = OnboardingGuide.Build(Console, Api, ["crm", "storefront"]);

        Assert.Equal(Enumerable.Range(1, 9), steps.Select(s => s.Order));
        Assert.All(steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Title)));
        Assert.All(steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Description)));
    }

    [Fact]
    public void Should_build_links_from_the_console_url_without_double_slashes()
    {
        var steps = OnboardingGuide.Build(Console + "/", Api + "/", ["crm"]);

        Assert.All(steps, s => Assert.StartsWith(Console + "/", s.Url, StringComparison.Ordinal));
        Assert.All(steps, s => Assert.DoesNotContain("//", s.Url![8..], StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Description.Contains(Api, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_start_with_changing_the_temporary_password()
    {
        var first = OnboardingGuide.Build(Console, Api, ["crm"])[0];

        Assert.Contains("temporary password", first.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_set_up_the_storefront_when_the_module_is_enabled()
    {
        var step = OnboardingGuide.Build(Console, Api, ["crm", "storefront"])[7];

        Assert.Contains("storefront", step.Title, StringComparison.Ordinal);
        Assert.Equal(Console + "/storefront/setup", step.Url);
    }

    [Fact]
    public void Should_set_up_the_crm_pipeline_without_the_storefront_module()
    {
        var step = OnboardingGuide.Build(Console, Api, ["crm"])[7];

        Assert.Contains("CRM pipeline", step.Title, StringComparison.Ordinal);
        Assert.Equal(Console + "/crm/pipeline", step.Url);
    }

    [Fact]
    public void Should_end_with_the_ai_copilot()
    {
        var withCopilot = OnboardingGuide.Build(Console, Api, ["ai_copilot"])[8];
        var withoutCopilot = OnboardingGuide.Build(Console, Api, ["crm"])[8];

        Assert.Equal(Console + "/copilot", withCopilot.Url);
        Assert.Contains("Enable", withoutCopilot.Title, StringComparison.Ordinal);
    }
}

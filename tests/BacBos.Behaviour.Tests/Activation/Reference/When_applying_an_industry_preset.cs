using BacBos.Consumers.Activation.Reference;
using BacBos.Consumers.Activation.ValidateInput;

namespace BacBos.Behaviour.Tests.Activation.Reference;

public class When_applying_an_industry_preset
{
    private static readonly string[] CoreModules = ["analytics", "crm", "documents", "finance", "invoicing", "support"];

    private static IndustryPreset Ecommerce()
    {
        Assert.True(IndustryPresets.TryGet("ecommerce", out var preset));
        return preset;
    }

    [Theory]
    [InlineData("ecommerce")]
    [InlineData("healthcare")]
    [InlineData("logistics")]
    [InlineData("retail")]
    [InlineData("hospitality")]
    [InlineData("professional_services")]
    [InlineData("education")]
    [InlineData("manufacturing")]
    [InlineData("nonprofit")]
    [InlineData("real_estate")]
    public void Should_offer_a_preset_for_each_required_industry(string industry)
    {
        Assert.True(IndustryPresets.TryGet(industry.ToUpperInvariant(), out var preset));
        Assert.Equal(industry, preset.Industry);
    }

    [Fact]
    public void Should_use_only_known_modules_in_every_preset()
    {
        Assert.All(IndustryPresets.All, preset => Assert.All(preset.Modules, module => Assert.True(Modules.IsKnown(module), $"{preset.Industry}: {module}")));
    }

    [Fact]
    public void Should_include_the_core_modules_in_every_preset()
    {
        Assert.All(IndustryPresets.All, preset => Assert.Superset(CoreModules.ToHashSet(), preset.Modules.ToHashSet()));
    }

    [Fact]
    public void Should_map_healthcare_to_clinical_modules()
    {
        Assert.True(IndustryPresets.TryGet("healthcare", out var preset));
        Assert.Contains("patient_records", preset.Modules);
        Assert.DoesNotContain("storefront", preset.Modules);
    }

    [Fact]
    public void Should_add_a_module_toggled_on()
    {
        var preset = Ecommerce();
        Assert.DoesNotContain("pos", preset.Modules);

        var modules = IndustryPresets.Merge(preset, new Dictionary<string, bool> { ["pos"] = true });

        Assert.Contains("pos", modules);
        Assert.Equal(preset.Modules.Count + 1, modules.Count);
    }

    [Fact]
    public void Should_remove_a_module_toggled_off()
    {
        var preset = Ecommerce();
        Assert.Contains("marketing", preset.Modules);

        var modules = IndustryPresets.Merge(preset, new Dictionary<string, bool> { ["Marketing"] = false });

        Assert.DoesNotContain("marketing", modules);
        Assert.Equal(preset.Modules.Count - 1, modules.Count);
    }

    [Fact]
    public void Should_return_the_preset_unchanged_without_toggles()
    {
        var preset = Ecommerce();

        Assert.Equal(preset.Modules, IndustryPresets.Merge(preset, null));
    }

    [Fact]
    public void Should_return_distinct_modules_sorted_ordinally()
    {
        var modules = IndustryPresets.Merge(Ecommerce(), new Dictionary<string, bool> { ["crm"] = true, ["appointments"] = true, ["hr"] = true });

        Assert.Equal(modules.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), modules);
        Assert.Equal(["ai_copilot", "analytics", "appointments"], modules.Take(3));
        Assert.Single(modules, m => m == "crm");
    }

    [Fact]
    public void Should_keep_an_unknown_toggle_out_because_the_validator_rejects_it()
    {
        var toggles = new Dictionary<string, bool> { ["teleportation"] = true };
        var input = ValidateInput.ValidActivationInput.Create() with { FeatureToggles = toggles };

        var errors = ActivationInputValidator.Validate(input);

        Assert.Contains("feature_toggles.teleportation", errors.Keys);
    }
}

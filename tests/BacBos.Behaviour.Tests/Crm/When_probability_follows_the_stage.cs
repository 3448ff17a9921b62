using BacBos.Consumers.Crm.Domain;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>
/// The probability rules: the stage's seeded probability on each stage change; a manual override kept until the stage
/// changes; null clears it; closed-won 100 %, closed-lost 0 % whatever was set.
/// </summary>
public class When_probability_follows_the_stage
{
    private static readonly Pipeline Seeded = Pipeline.Default;
    private static readonly Requested<decimal?> Untouched = Requested<decimal?>.Absent;

    [Theory]
    [InlineData("prospect", 10)]
    [InlineData("qualification", 25)]
    [InlineData("proposal", 50)]
    [InlineData("negotiation", 75)]
    public void Should_take_the_seeded_probability_of_a_new_stage(string stage, int expected)
    {
        var result = ProbabilityRules.Apply(Seeded[stage], stageChanged: true, new Probability(10m, false), Untouched);

        Assert.Equal(new Probability(expected, false), result);
    }

    [Fact]
    public void Should_keep_an_override_while_the_stage_stays()
    {
        var overridden = new Probability(33.5m, true);

        var afterAmountChange = ProbabilityRules.Apply(Seeded["proposal"], stageChanged: false, overridden, Untouched);

        Assert.Equal(overridden, afterAmountChange);
    }

    [Fact]
    public void Should_drop_the_override_when_the_stage_changes()
    {
        var result = ProbabilityRules.Apply(Seeded["negotiation"], stageChanged: true, new Probability(33.5m, true), Untouched);

        Assert.Equal(new Probability(75m, false), result);
    }

    [Fact]
    public void Should_keep_an_override_sent_together_with_the_stage_change()
    {
        var result = ProbabilityRules.Apply(Seeded["negotiation"], stageChanged: true, new Probability(50m, false), Requested<decimal?>.Of(90m));

        Assert.Equal(new Probability(90m, true), result);
    }

    [Fact]
    public void Should_set_an_override()
    {
        var result = ProbabilityRules.Apply(Seeded["proposal"], stageChanged: false, new Probability(50m, false), Requested<decimal?>.Of(60m));

        Assert.Equal(new Probability(60m, true), result);
    }

    [Fact]
    public void Should_go_back_to_the_stage_probability_when_the_override_is_cleared()
    {
        var result = ProbabilityRules.Apply(Seeded["proposal"], stageChanged: false, new Probability(60m, true), Requested<decimal?>.Of(null));

        Assert.Equal(new Probability(50m, false), result);
    }

    [Theory]
    [InlineData("closed-won", 100)]
    [InlineData("closed-lost", 0)]
    public void Should_fix_the_probability_when_closing_whatever_was_overridden(string stage, int expected)
    {
        var result = ProbabilityRules.Apply(Seeded[stage], stageChanged: true, new Probability(42m, true), Untouched);

        Assert.Equal(new Probability(expected, false), result);
    }

    [Fact]
    public void Should_ignore_odd_seeded_values_for_closed_stages()
    {
        var oddWon = new PipelineStage("won", "Won", 5, 90m, true, true);
        var oddLost = new PipelineStage("lost", "Lost", 6, 5m, true, false);

        Assert.Equal(100m, ProbabilityRules.Apply(oddWon, true, default, Untouched).Percent);
        Assert.Equal(0m, ProbabilityRules.Apply(oddLost, true, default, Untouched).Percent);
    }

    [Fact]
    public void Should_start_a_new_opportunity_at_its_stage_or_at_the_override()
    {
        Assert.Equal(new Probability(25m, false), ProbabilityRules.Initial(Seeded["qualification"], null));
        Assert.Equal(new Probability(40m, true), ProbabilityRules.Initial(Seeded["qualification"], 40m));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("100", true)]
    [InlineData("33.33", true)]
    [InlineData("33.333", false)]
    [InlineData("-1", false)]
    [InlineData("100.01", false)]
    public void Should_accept_percentages_with_two_decimals(string value, bool valid) =>
        Assert.Equal(valid, ProbabilityRules.IsValid(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}

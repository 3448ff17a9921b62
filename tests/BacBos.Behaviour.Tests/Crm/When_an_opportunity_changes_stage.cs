using BacBos.Consumers.Crm.Domain;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>
/// The opportunity lifecycle over the seeded pipeline: forward to any later open stage, back by exactly one, close as
/// won or lost from any open stage; closed stages are terminal.
/// </summary>
public class When_an_opportunity_changes_stage
{
    private static readonly Pipeline Seeded = Pipeline.Default;

    [Theory]
    [InlineData("prospect", new[] { "qualification", "proposal", "negotiation", "closed-won", "closed-lost" })]
    [InlineData("qualification", new[] { "prospect", "proposal", "negotiation", "closed-won", "closed-lost" })]
    [InlineData("proposal", new[] { "qualification", "negotiation", "closed-won", "closed-lost" })]
    [InlineData("negotiation", new[] { "proposal", "closed-won", "closed-lost" })]
    [InlineData("closed-won", new string[0])]
    [InlineData("closed-lost", new string[0])]
    public void Should_allow_forward_one_back_and_closing(string from, string[] allowed) =>
        Assert.Equal(allowed, OpportunityLifecycle.AllowedFrom(Seeded, from));

    [Theory]
    [InlineData("negotiation", "qualification")]
    [InlineData("negotiation", "prospect")]
    [InlineData("proposal", "prospect")]
    [InlineData("closed-won", "negotiation")]
    [InlineData("closed-won", "closed-lost")]
    [InlineData("closed-lost", "prospect")]
    public void Should_refuse_other_moves(string from, string to) =>
        Assert.Equal(Transition.Illegal, OpportunityLifecycle.Decide(Seeded, from, to));

    [Theory]
    [InlineData("prospect", "negotiation")]
    [InlineData("qualification", "prospect")]
    [InlineData("prospect", "closed-won")]
    [InlineData("proposal", "closed-lost")]
    public void Should_allow_skips_one_step_back_and_closing(string from, string to) =>
        Assert.Equal(Transition.Allowed, OpportunityLifecycle.Decide(Seeded, from, to));

    [Fact]
    public void Should_treat_the_same_stage_as_no_change() =>
        Assert.Equal(Transition.NoChange, OpportunityLifecycle.Decide(Seeded, "proposal", "proposal"));

    [Fact]
    public void Should_read_the_stages_of_the_seed()
    {
        Assert.Equal(["prospect", "qualification", "proposal", "negotiation", "closed-won", "closed-lost"], Seeded.Codes);
        Assert.Equal("prospect", Seeded.First.Code);
        Assert.Equal("closed-won", Seeded.Won.Code);
        Assert.Equal("closed-lost", Seeded.Lost.Code);
    }

    [Fact]
    public void Should_follow_a_tenant_pipeline_from_its_table_in_position_order()
    {
        var custom = new Pipeline(
        [
            new PipelineStage("lost", "Lost", 9, 0m, true, false),
            new PipelineStage("demo", "Demo", 2, 40m, false, false),
            new PipelineStage("intro", "Intro", 1, 5m, false, false),
            new PipelineStage("signed", "Signed", 8, 100m, true, true),
        ]);

        Assert.Equal(["intro", "demo", "signed", "lost"], custom.Codes);
        Assert.Equal(["demo", "signed", "lost"], OpportunityLifecycle.AllowedFrom(custom, "intro"));
        Assert.Equal(["intro", "signed", "lost"], OpportunityLifecycle.AllowedFrom(custom, "demo"));
    }

    [Fact]
    public void Should_fall_back_to_the_seeded_pipeline_when_the_table_is_empty() =>
        Assert.Equal(Seeded.Codes, new Pipeline([]).Codes);

    [Fact]
    public void Should_reject_a_pipeline_without_a_won_and_a_lost_stage() =>
        Assert.Throws<InvalidOperationException>(() => new Pipeline([new PipelineStage("only", "Only", 1, 10m, false, false), new PipelineStage("won", "Won", 2, 100m, true, true)]));

    [Fact]
    public void Should_not_know_a_stage_outside_the_pipeline()
    {
        Assert.Null(Seeded.Find("closed"));
        Assert.Throws<ArgumentOutOfRangeException>(() => OpportunityLifecycle.Decide(Seeded, "prospect", "closed"));
    }
}

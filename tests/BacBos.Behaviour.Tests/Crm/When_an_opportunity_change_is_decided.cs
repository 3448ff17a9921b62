using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>
/// The decision behind PATCH and close: what is refused (and how), what the new row is, and how far the aggregate's
/// event sequence moves (one for a stage change, two for closing, none for a plain edit).
/// </summary>
public class When_an_opportunity_change_is_decided
{
    private static readonly Pipeline Seeded = Pipeline.Default;
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static OpportunityRow Row(string stage = "proposal", decimal probability = 50m, bool overridden = false, string currency = "EUR") =>
        new(Guid.NewGuid(), "Deal", null, null, 1000m, currency, stage, probability, overridden, null, null, null, "NGN", 1700m, "test", Now, 0, 0, "key", Now, Now, 3, 4);

    private static OpportunityPatch Patch(string? stage = null, decimal? amount = null, Requested<decimal?> probability = default) =>
        new(default, stage is null ? default : Requested<string>.Of(stage), amount is null ? default : Requested<decimal>.Of(amount.Value), probability, default);

    [Fact]
    public void Should_move_the_stage_with_its_probability_and_one_sequence_number()
    {
        var decision = OpportunityChange.Decide(Seeded, Row(), Patch("negotiation"), null, Now);

        Assert.Null(decision.Result);
        Assert.Equal("negotiation", decision.After!.Stage);
        Assert.Equal(75m, decision.After.Probability);
        Assert.Equal(5, decision.After.Sequence);
        Assert.Null(decision.After.ClosedAt);
    }

    [Fact]
    public void Should_close_with_closed_at_reason_and_two_sequence_numbers()
    {
        var decision = OpportunityChange.Decide(Seeded, Row(probability: 60m, overridden: true), Patch("closed-won"), "signed", Now);

        Assert.Equal("closed-won", decision.After!.Stage);
        Assert.Equal(100m, decision.After.Probability);
        Assert.False(decision.After.ProbabilityOverridden);
        Assert.Equal(Now, decision.After.ClosedAt);
        Assert.Equal("signed", decision.After.CloseReason);
        Assert.Equal(6, decision.After.Sequence);
    }

    [Fact]
    public void Should_keep_the_override_and_the_sequence_when_only_the_amount_changes()
    {
        var decision = OpportunityChange.Decide(Seeded, Row(probability: 60m, overridden: true), Patch(amount: 2500.5m), null, Now);

        Assert.Equal(2500.50m, decision.After!.Amount);
        Assert.Equal(60m, decision.After.Probability);
        Assert.True(decision.After.ProbabilityOverridden);
        Assert.Equal(4, decision.After.Sequence);
    }

    [Fact]
    public void Should_answer_the_unchanged_row_when_nothing_changes()
    {
        var row = Row();

        var decision = OpportunityChange.Decide(Seeded, row, Patch("proposal"), null, Now);

        Assert.Equal(CrmStatus.Ok, decision.Result!.Status);
        Assert.Same(row, decision.Result.Value);
    }

    [Fact]
    public void Should_refuse_an_illegal_move_naming_the_current_and_allowed_stages()
    {
        var decision = OpportunityChange.Decide(Seeded, Row("negotiation", 75m), Patch("prospect"), null, Now);

        Assert.Equal(CrmStatus.IllegalTransition, decision.Result!.Status);
        Assert.Equal("negotiation", decision.Result.Conflict!.Current);
        Assert.Equal(["proposal", "closed-won", "closed-lost"], decision.Result.Conflict.Allowed);
    }

    [Theory]
    [InlineData("closed-won")]
    [InlineData("closed-lost")]
    public void Should_refuse_every_change_of_a_closed_opportunity(string closed)
    {
        var row = Row(closed, closed == "closed-won" ? 100m : 0m);

        foreach (var patch in new[] { Patch("negotiation"), Patch(amount: 5m), Patch(probability: Requested<decimal?>.Of(10m)) })
        {
            var decision = OpportunityChange.Decide(Seeded, row, patch, null, Now);
            Assert.Equal(CrmStatus.IllegalTransition, decision.Result!.Status);
            Assert.Equal(closed, decision.Result.Conflict!.Current);
            Assert.Empty(decision.Result.Conflict.Allowed);
        }
    }

    [Fact]
    public void Should_refuse_a_probability_sent_with_a_closing_stage()
    {
        var decision = OpportunityChange.Decide(Seeded, Row(), Patch("closed-lost", probability: Requested<decimal?>.Of(20m)), null, Now);

        Assert.Equal(CrmStatus.Invalid, decision.Result!.Status);
        Assert.Contains("probability", decision.Result.Errors!.Keys);
    }

    [Theory]
    [InlineData("JPY", "10.5", false)]
    [InlineData("JPY", "10", true)]
    [InlineData("KWD", "1.125", true)]
    [InlineData("KWD", "1.1255", false)]
    [InlineData("EUR", "1.999", false)]
    public void Should_refuse_an_amount_finer_than_the_currency(string currency, string amount, bool accepted)
    {
        var decision = OpportunityChange.Decide(Seeded, Row(currency: currency), Patch(amount: decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), null, Now);

        Assert.Equal(accepted, decision.Result is null);
    }

    [Fact]
    public void Should_refuse_an_unknown_stage_as_invalid_input() =>
        Assert.Equal(CrmStatus.Invalid, OpportunityChange.Decide(Seeded, Row(), Patch("won"), null, Now).Result!.Status);
}

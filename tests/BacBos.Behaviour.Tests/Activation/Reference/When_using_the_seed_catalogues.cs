using BacBos.Consumers.Activation.Reference;

namespace BacBos.Behaviour.Tests.Activation.Reference;

public class When_using_the_seed_catalogues
{
    [Fact]
    public void Should_have_a_consistent_chart_of_accounts()
    {
        var accounts = ChartOfAccountsTemplate.Default;
        var seen = new Dictionary<string, AccountSeed>(StringComparer.Ordinal);

        Assert.InRange(accounts.Count, 30, 45);
        foreach (var account in accounts)
        {
            Assert.True(seen.TryAdd(account.Code, account), $"duplicate code {account.Code}");
            if (account.ParentCode is not null)
            {
                Assert.True(seen.TryGetValue(account.ParentCode, out var parent), $"{account.Code}: parent {account.ParentCode} must come first");
                Assert.Equal(parent.Type, account.Type);
            }
        }
    }

    [Theory]
    [InlineData('1', "asset")]
    [InlineData('2', "liability")]
    [InlineData('3', "equity")]
    [InlineData('4', "revenue")]
    [InlineData('5', "expense")]
    [InlineData('6', "expense")]
    public void Should_number_accounts_by_class(char firstDigit, string type)
    {
        var accounts = ChartOfAccountsTemplate.Default.Where(a => a.Code[0] == firstDigit).ToArray();

        Assert.NotEmpty(accounts);
        Assert.All(accounts, a => Assert.Equal(type, a.Type));
    }

    [Theory]
    [InlineData("Accounts receivable")]
    [InlineData("Sales tax payable")]
    [InlineData("Stripe clearing")]
    [InlineData("Paystack clearing")]
    [InlineData("Bank - operating account")]
    public void Should_include_the_accounts_the_platform_posts_to(string name)
    {
        Assert.Contains(ChartOfAccountsTemplate.Default, a => a.Name == name);
    }

    [Fact]
    public void Should_seed_the_pipeline_stages_with_their_probabilities()
    {
        var stages = PipelineStageSeeds.Default;

        Assert.Equal(["prospect", "qualification", "proposal", "negotiation", "closed-won", "closed-lost"], stages.Select(s => s.Code));
        Assert.Equal([10m, 25m, 50m, 75m, 100m, 0m], stages.Select(s => s.DefaultProbability));
        Assert.Equal(Enumerable.Range(1, 6), stages.Select(s => s.Position));
        Assert.Equal("closed-won", Assert.Single(stages, s => s.IsWon).Code);
        Assert.Equal(["closed-won", "closed-lost"], stages.Where(s => s.IsClosed).Select(s => s.Code));
    }

    [Fact]
    public void Should_seed_stricter_sla_targets_for_higher_priorities()
    {
        var policies = SlaPolicySeeds.Default;

        Assert.Equal(["urgent", "high", "normal", "low"], policies.Select(p => p.Priority));
        Assert.All(policies, p => Assert.True(p.FirstResponseMinutes < p.ResolutionMinutes, p.Priority));
        for (var i = 1; i < policies.Count; i++)
        {
            Assert.True(policies[i - 1].FirstResponseMinutes < policies[i].FirstResponseMinutes);
            Assert.True(policies[i - 1].ResolutionMinutes < policies[i].ResolutionMinutes);
        }
    }

    [Fact]
    public void Should_list_the_known_values_of_each_choice()
    {
        Assert.Equal(8, Channels.Known.Count);
        Assert.True(Channels.IsKnown("facebook_messenger"));
        Assert.False(Channels.IsKnown("WhatsApp"));
        Assert.True(PaymentProviders.IsKnown("mpesa"));
        Assert.False(PaymentProviders.IsKnown("venmo"));
        Assert.True(ModelProviders.IsKnown("none"));
        Assert.Equal(["starter", "growth", "enterprise"], Plans.Known);
        Assert.Equal("starter", Plans.Default);
        Assert.True(Modules.IsKnown("ai_copilot"));
        Assert.False(Modules.IsKnown("AI_COPILOT"));
    }
}

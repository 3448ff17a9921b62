using BacBos.Consumers.Crm.Domain;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>Every pair of lead states: exactly the six moves of the lifecycle are legal; staying put changes nothing.</summary>
public class When_a_lead_moves_through_its_lifecycle
{
    private static readonly HashSet<(string From, string To)> Legal =
    [
        ("new", "contacted"),
        ("new", "disqualified"),
        ("contacted", "qualified"),
        ("contacted", "disqualified"),
        ("qualified", "converted"),
        ("qualified", "disqualified"),
    ];

    public static TheoryData<string, string> EveryPair()
    {
        var data = new TheoryData<string, string>();
        foreach (var from in LeadStatus.All)
        {
            foreach (var to in LeadStatus.All)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Should_allow_exactly_the_lifecycle_moves(string from, string to)
    {
        var expected = from == to ? Transition.NoChange : Legal.Contains((from, to)) ? Transition.Allowed : Transition.Illegal;

        Assert.Equal(expected, LeadLifecycle.Decide(from, to));
    }

    [Theory]
    [InlineData("new", new[] { "contacted", "disqualified" })]
    [InlineData("contacted", new[] { "qualified", "disqualified" })]
    [InlineData("qualified", new[] { "converted", "disqualified" })]
    [InlineData("converted", new string[0])]
    [InlineData("disqualified", new string[0])]
    public void Should_list_the_next_states(string from, string[] next)
    {
        Assert.Equal(next, LeadLifecycle.AllowedFrom(from));
        Assert.Equal(next.Length == 0, LeadLifecycle.IsTerminal(from));
    }

    [Fact]
    public void Should_use_the_state_names_of_the_issue() =>
        Assert.Equal(["new", "contacted", "qualified", "converted", "disqualified"], LeadStatus.All);

    [Theory]
    [InlineData("won")]
    [InlineData("New")]
    [InlineData("")]
    public void Should_refuse_to_decide_on_an_unknown_state(string unknown)
    {
        Assert.False(LeadLifecycle.IsKnown(unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeadLifecycle.Decide("new", unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeadLifecycle.AllowedFrom(unknown));
    }
}

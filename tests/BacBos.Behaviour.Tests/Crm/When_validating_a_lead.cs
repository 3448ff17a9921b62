using BacBos.Consumers.Crm.Domain;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>The one set of lead rules REST and the inbound channels share: every problem reported, by field; defaults; normalisation.</summary>
public class When_validating_a_lead
{
    [Fact]
    public void Should_normalise_a_valid_lead_and_fill_the_defaults()
    {
        var (draft, errors) = LeadRules.Validate(new LeadInput("  Ada Obi ", " Ada@Example.COM ", "+234 (801) 234-5678", " Obi Farms ", null, null, null));

        Assert.Empty(errors);
        Assert.Equal(new LeadDraft("Ada Obi", "ada@example.com", "+2348012345678", "Obi Farms", "other", "medium", null), draft);
    }

    [Fact]
    public void Should_accept_enumerations_in_any_case()
    {
        var (draft, _) = LeadRules.Validate(new LeadInput("Ada", null, "+2348012345678", null, "WhatsApp", "URGENT", null));

        Assert.Equal("whatsapp", draft!.Source);
        Assert.Equal("urgent", draft.Priority);
    }

    [Fact]
    public void Should_report_every_problem_at_once()
    {
        var (draft, errors) = LeadRules.Validate(new LeadInput(" ", "not-an-email", "12345", new string('x', 201), "billboard", "critical", null));

        Assert.Null(draft);
        Assert.Equal(["company", "email", "name", "phone", "priority", "source"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("website", errors["source"][0], StringComparison.Ordinal);
        Assert.Contains("low, medium, high, urgent", errors["priority"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_require_a_way_to_reach_the_lead()
    {
        var (_, errors) = LeadRules.Validate(new LeadInput("Ada", null, null, "Obi Farms", null, null, null));

        Assert.Equal(["email"], errors.Keys);
        Assert.Contains("phone", errors["email"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_allow_line_breaks_in_notes_but_no_other_control_characters()
    {
        Assert.Empty(LeadRules.Validate(new LeadInput("Ada", "ada@example.com", null, null, null, null, "line 1\nline 2")).Errors);
        Assert.Contains("name", LeadRules.Validate(new LeadInput("Ada\u0007", "ada@example.com", null, null, null, null, null)).Errors.Keys);
    }

    [Fact]
    public void Should_describe_the_problems_on_one_line_for_a_dead_letter()
    {
        var (_, errors) = LeadRules.Validate(new LeadInput(null, "x@", null, null, null, null, null));

        var line = FieldErrors.Describe(errors);

        Assert.Contains("name: name is required.", line, StringComparison.Ordinal);
        Assert.Contains("email: 'x@' is not a valid e-mail address", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }
}

using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Leads;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;
using BacBos.Contracts.Crm;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>
/// Every change commits its rows and its events together (bus outbox), numbered per aggregate: a failed change leaves
/// neither; a repeated one publishes nothing; of two racing changes the loser sees the winner's result.
/// </summary>
public sealed class When_crm_changes_are_stored : IAsyncLifetime
{
    private CrmHarness _crm = null!;

    private LeadService Leads => _crm.Get<LeadService>();

    private OpportunityService Opportunities => _crm.Get<OpportunityService>();

    public async Task InitializeAsync() => _crm = await CrmHarness.StartAsync();

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    private static LeadDraft Lead(string name = "Chidi Okafor") => new(name, "chidi@example.com", null, "Okafor Farms", "website", "high", null);

    private static LeadPatch Status(string status) => new(Requested<string>.Of(status), default, default);

    private async Task<LeadRow> QualifiedLeadAsync()
    {
        var lead = (await Leads.CreateAsync(_crm.TenantId, Lead(), "key-1", null, default)).Value!;
        await Leads.PatchAsync(_crm.TenantId, lead.Id, Status("contacted"), "key-1", default);
        return (await Leads.PatchAsync(_crm.TenantId, lead.Id, Status("qualified"), "key-1", default)).Value!;
    }

    [Fact]
    public async Task Should_number_each_aggregate_s_events_from_one_without_gaps()
    {
        var lead = await QualifiedLeadAsync();
        var conversion = (await Leads.ConvertAsync(_crm.TenantId, lead.Id, new LeadConversionRequest(null, null, 5000m, "EUR", null, null, null), "key-1", default)).Value!;
        var opportunityId = conversion.Opportunity.Opportunity.Id;
        await Opportunities.PatchAsync(_crm.TenantId, opportunityId, new OpportunityPatch(default, Requested<string>.Of("proposal"), default, default, default), "key-2", default);
        await Opportunities.CloseAsync(_crm.TenantId, opportunityId, won: true, "signed", "key-2", default);

        var leadEvents = await _crm.EventsOfAsync(lead.Id);
        Assert.Equal(
            ["LeadCreated:1", "LeadStatusChanged:2:new>contacted", "LeadStatusChanged:3:contacted>qualified", "LeadQualified:3", "LeadStatusChanged:4:qualified>converted", "LeadConverted:5"],
            leadEvents.Select(Describe));
        var converted = Assert.IsType<LeadConverted>(leadEvents[^1]);
        Assert.Equal(conversion.Contact.Id, converted.ContactId);
        Assert.Equal(opportunityId, converted.OpportunityId);

        var opportunityEvents = await _crm.EventsOfAsync(opportunityId);
        Assert.Equal(
            ["OpportunityCreated:1", "OpportunityStageChanged:2:prospect>proposal", "OpportunityStageChanged:3:proposal>closed-won", "OpportunityWon:4"],
            opportunityEvents.Select(Describe));
        Assert.All(leadEvents.Concat(opportunityEvents), e => Assert.Equal(_crm.TenantId, e.TenantId));
        var won = Assert.IsType<OpportunityWon>(opportunityEvents[^1]);
        Assert.Equal((5000.00m, "EUR", "signed"), (won.Amount, won.Currency, won.Reason));
    }

    [Fact]
    public async Task Should_publish_with_the_event_id_as_message_id_and_the_aggregate_as_correlation_id()
    {
        var lead = (await Leads.CreateAsync(_crm.TenantId, Lead(), "key-1", null, default)).Value!;

        var (message, messageId, correlationId) = Assert.Single(await _crm.OutboxAsync());

        var created = Assert.IsType<LeadCreated>(message);
        Assert.Equal(created.EventId, messageId);
        Assert.Equal(lead.Id, correlationId);
        Assert.Equal(("key-1", "new", "high", "website"), (created.Actor, created.Status, created.Priority, created.Source));
    }

    [Fact]
    public async Task Should_ask_finance_for_a_draft_in_the_transaction_that_wins()
    {
        var lead = await QualifiedLeadAsync();
        var opportunity = (await Leads.ConvertAsync(_crm.TenantId, lead.Id, new LeadConversionRequest(null, null, 1000m, null, null, null, null), "key-1", default)).Value!.Opportunity.Opportunity;

        await Opportunities.CloseAsync(_crm.TenantId, opportunity.Id, won: true, null, "key-1", default);

        var (message, _, correlationId) = Assert.Single(await _crm.OutboxAsync(), m => m.Message is RequestInvoiceDraft);
        var request = (RequestInvoiceDraft)message;
        Assert.Equal((_crm.TenantId, opportunity.Id, opportunity.ContactId, 1000.00m, "NGN"), (request.TenantId, request.OpportunityId, request.ContactId, request.Amount, request.Currency));
        Assert.Equal(opportunity.Id, correlationId);
    }

    [Fact]
    public async Task Should_leave_neither_rows_nor_events_when_a_change_fails()
    {
        var lead = await QualifiedLeadAsync();
        var before = (await _crm.OutboxAsync()).Count;

        var result = await Leads.ConvertAsync(_crm.TenantId, lead.Id, new LeadConversionRequest(null, null, 10m, "SEK", null, null, null), "key-1", default);

        Assert.Equal(CrmStatus.Unprocessable, result.Status);
        Assert.Equal("fx-rate-unavailable", result.ProblemType);
        Assert.Equal(before, (await _crm.OutboxAsync()).Count);
        Assert.Equal(0, await _crm.TenantCountAsync("SELECT COUNT(*) FROM contacts"));
        Assert.Equal(0, await _crm.TenantCountAsync("SELECT COUNT(*) FROM opportunities"));
        Assert.Equal("qualified", (await Leads.GetAsync(_crm.TenantId, lead.Id, default)).Value!.Status);
    }

    [Fact]
    public async Task Should_publish_nothing_for_a_change_to_the_current_state()
    {
        var lead = await QualifiedLeadAsync();
        var before = await _crm.OutboxAsync();

        var result = await Leads.PatchAsync(_crm.TenantId, lead.Id, Status("qualified"), "key-1", default);

        Assert.Equal(CrmStatus.Ok, result.Status);
        Assert.Equal(lead.Version, result.Value!.Version);
        Assert.Equal(before.Count, (await _crm.OutboxAsync()).Count);
    }

    [Fact]
    public async Task Should_let_one_of_two_racing_conversions_win_and_refuse_the_other()
    {
        var lead = await QualifiedLeadAsync();
        var request = new LeadConversionRequest(null, null, 100m, null, null, null, null);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Leads.ConvertAsync(_crm.TenantId, lead.Id, request, "key-1", default))));

        Assert.Equal([CrmStatus.Created, CrmStatus.IllegalTransition], results.Select(r => r.Status).Order());
        var refused = results.Single(r => r.Status == CrmStatus.IllegalTransition);
        Assert.Equal("converted", refused.Conflict!.Current);
        Assert.Equal(1, await _crm.TenantCountAsync("SELECT COUNT(*) FROM opportunities"));
        Assert.Single(await _crm.EventsOfAsync(lead.Id), e => e is LeadConverted);
    }

    [Fact]
    public async Task Should_apply_one_of_two_identical_racing_status_changes_and_publish_it_once()
    {
        var lead = (await Leads.CreateAsync(_crm.TenantId, Lead(), "key-1", null, default)).Value!;

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Leads.PatchAsync(_crm.TenantId, lead.Id, Status("contacted"), "key-1", default))));

        Assert.All(results, r => Assert.Equal("contacted", r.Value!.Status));
        Assert.Single(await _crm.EventsOfAsync(lead.Id), e => e is LeadStatusChanged);
    }

    [Fact]
    public async Task Should_answer_a_replayed_idempotency_key_with_the_first_lead_and_publish_once()
    {
        var first = await Leads.CreateAsync(_crm.TenantId, Lead(), "key-1", "retry-1", default);
        var again = await Leads.CreateAsync(_crm.TenantId, Lead(), "key-1", "retry-1", default);
        var other = await Leads.CreateAsync(_crm.TenantId, Lead("Someone Else"), "key-1", "retry-1", default);

        Assert.Equal((CrmStatus.Created, CrmStatus.Replayed, CrmStatus.Unprocessable), (first.Status, again.Status, other.Status));
        Assert.Equal(first.Value!.Id, again.Value!.Id);
        Assert.Equal("idempotency-key-reused", other.ProblemType);
        Assert.Single(await _crm.OutboxAsync());
    }

    private static string Describe(ICrmEvent e) => e switch
    {
        LeadStatusChanged s => $"{nameof(LeadStatusChanged)}:{s.Sequence}:{s.From}>{s.To}",
        OpportunityStageChanged s => $"{nameof(OpportunityStageChanged)}:{s.Sequence}:{s.From}>{s.To}",
        _ => $"{e.GetType().Name}:{e.Sequence}",
    };
}

using BacBos.Consumers.Crm.Inbound;
using BacBos.Consumers.Crm.Leads;
using BacBos.Consumers.Crm.Opportunities;
using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Crm.Domain;
using BacBos.Contracts.Crm;
using BacBos.Contracts.Invoicing;
using BacBos.Platform.Messaging;

namespace BacBos.Behaviour.Tests.Crm;

/// <summary>
/// Inbound leads (a <see cref="SubmitInboundLead"/> from the Kafka side, a plain-JSON message from RabbitMQ): validated
/// like the REST API, one lead per client id and channel, and every bad message rejected with its reason. Invoice
/// drafts: one per won opportunity, whatever the number of requests.
/// </summary>
public sealed class When_leads_arrive_from_other_systems : IAsyncLifetime
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private CrmHarness _crm = null!;

    public async Task InitializeAsync() => _crm = await CrmHarness.StartAsync();

    public async Task DisposeAsync() => await _crm.DisposeAsync();

    private SubmitInboundLead Submit(string clientLeadId, string channel = "kafka", string? email = "ada@example.com", Guid? tenantId = null) =>
        new(tenantId ?? _crm.TenantId, clientLeadId, channel, "Ada Obi", email, null, "Obi Farms", "website", "high", "from the web form", ReceivedAt);

    [Fact]
    public async Task Should_create_one_lead_for_a_repeated_client_id()
    {
        Assert.Null(await _crm.DeliverAsync(Submit("crm-42")));
        Assert.Null(await _crm.DeliverAsync(Submit("crm-42")));

        Assert.Equal(1, await _crm.TenantCountAsync("SELECT COUNT(*) FROM leads WHERE client_lead_id = 'crm-42'"));
        var created = Assert.Single((await _crm.OutboxAsync()).Select(m => m.Message).OfType<LeadCreated>());
        Assert.Equal(("inbound:kafka", "Ada Obi", "new"), (created.Actor, created.Name, created.Status));
    }

    [Fact]
    public async Task Should_keep_client_ids_of_different_channels_apart()
    {
        Assert.Null(await _crm.DeliverAsync(Submit("crm-7", "kafka")));
        Assert.Null(await _crm.DeliverAsync(Submit("crm-7", "rabbitmq")));

        Assert.Equal(2, await _crm.TenantCountAsync("SELECT COUNT(*) FROM leads WHERE client_lead_id = 'crm-7'"));
    }

    [Fact]
    public async Task Should_reject_an_invalid_lead_naming_every_problem()
    {
        var failure = await _crm.DeliverAsync(Submit("crm-9", email: "not-an-email") with { Name = null, Priority = "critical" });

        var rejected = Assert.IsType<RejectedMessageException>(failure);
        Assert.Contains("name: name is required.", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("email: 'not-an-email'", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("priority: Unknown priority 'critical'", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _crm.TenantCountAsync("SELECT COUNT(*) FROM leads"));
    }

    [Fact]
    public async Task Should_reject_a_lead_for_a_tenant_that_does_not_exist()
    {
        var stranger = Guid.NewGuid();

        var failure = await _crm.DeliverAsync(Submit("crm-1", tenantId: stranger));

        Assert.Equal($"unknown tenant {stranger:D}: no such tenant has CRM storage", Assert.IsType<RejectedMessageException>(failure).Message);
    }

    [Fact]
    public async Task Should_reject_a_message_without_client_id_or_channel()
    {
        var failure = await _crm.DeliverAsync(Submit(" ", channel: "Kafka Topic"));

        var message = Assert.IsType<RejectedMessageException>(failure).Message;
        Assert.Contains("client_lead_id: client_lead_id is required.", message, StringComparison.Ordinal);
        Assert.Contains("channel:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_map_a_plain_json_lead_to_the_same_intake()
    {
        var message = InboundLeadMessage.Of(_crm.TenantId.ToString(), "web-1", "Ada Obi", "ADA@example.com", "+234 801 234 5678", null, "referral", null, null);

        Assert.Null(await _crm.DeliverAsync(message));
        Assert.Null(await _crm.DeliverAsync(message));

        var lead = Assert.Single((await _crm.Get<LeadService>().ListAsync(_crm.TenantId, new ListQuery(1, 10, "created_at", false, []), "created_at", default)).Value!.Items);
        Assert.Equal(("rabbitmq", "web-1", "ada@example.com", "+2348012345678", "referral", "medium"), (lead.Channel, lead.ClientLeadId, lead.Email, lead.Phone, lead.Source, lead.Priority));
    }

    [Fact]
    public async Task Should_reject_a_plain_json_lead_whose_tenant_id_is_not_a_uuid_with_the_other_problems()
    {
        var failure = await _crm.DeliverAsync(InboundLeadMessage.Of("tenant-42", null, "Ada", null, null, null, null, null, null));

        var message = Assert.IsType<RejectedMessageException>(failure).Message;
        Assert.Contains("tenant_id: 'tenant-42' is not a UUID.", message, StringComparison.Ordinal);
        Assert.Contains("client_lead_id", message, StringComparison.Ordinal);
        Assert.Contains("email", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reject_a_plain_json_member_of_the_wrong_type_by_name()
    {
        var message = InboundLeadMessage.Of(_crm.TenantId.ToString(), "web-2", null, "ada@example.com", null, null, null, null, null)
            with { Name = System.Text.Json.JsonSerializer.SerializeToElement(42), Priority = System.Text.Json.JsonSerializer.SerializeToElement(new[] { "high" }) };

        var failure = await _crm.DeliverAsync(message);

        var reason = Assert.IsType<RejectedMessageException>(failure).Message;
        Assert.Contains("name: name must be a JSON string, not number.", reason, StringComparison.Ordinal);
        Assert.Contains("priority: priority must be a JSON string, not array.", reason, StringComparison.Ordinal);
        Assert.Equal(0, await _crm.TenantCountAsync("SELECT COUNT(*) FROM leads"));
    }

    [Fact]
    public async Task Should_record_one_invoice_draft_per_won_opportunity()
    {
        var opportunity = await WonOpportunityAsync(1_000_000m);
        var request = new RequestInvoiceDraft(_crm.TenantId, opportunity.Id, opportunity.ContactId, 1_000_000m, "NGN", ReceivedAt);

        Assert.Null(await _crm.DeliverAsync(request));
        Assert.Null(await _crm.DeliverAsync(request with { RequestedAt = ReceivedAt.AddDays(40) }));

        var draft = (await _crm.Get<OpportunityService>().GetAsync(_crm.TenantId, opportunity.Id, default)).Value!.InvoiceDraft!;
        Assert.Equal(1, await _crm.TenantCountAsync("SELECT COUNT(*) FROM invoice_drafts"));
        Assert.Equal(("VAT standard", 7.5m, true), (draft.TaxName, draft.TaxRatePercent, draft.TaxInclusive));
        Assert.Equal((930232.56m, 69767.44m, 1000000.00m), (draft.NetAmount, draft.TaxAmount, draft.Total));
        Assert.Equal(DateOnly.FromDateTime(ReceivedAt.UtcDateTime), draft.DraftDate);

        // The draft's transaction asked invoicing for the real invoice, once, under the draft's id.
        var issue = Assert.Single((await _crm.OutboxAsync()).Select(m => m.Message).OfType<IssueInvoice>());
        Assert.Equal((draft.Id, opportunity.Id, "NGN", ReceivedAt), (issue.InvoiceId, issue.OpportunityId!.Value, issue.Currency, issue.RequestedAt));
        var line = Assert.Single(issue.Lines);
        Assert.Equal((1m, 1_000_000m, "VAT standard"), (line.Quantity, line.UnitPrice, line.TaxRateName));
    }

    [Fact]
    public async Task Should_reject_an_invoice_draft_for_an_opportunity_that_is_not_won()
    {
        var contact = (await _crm.Get<BacBos.Consumers.Crm.Contacts.ContactService>().CreateAsync(_crm.TenantId, new("Ada", null, null, null), "key", default)).Value!;
        var open = (await _crm.Get<OpportunityService>().CreateAsync(_crm.TenantId, new OpportunityDraft(null, contact.Id, null, 10m, null, null, null, null), "key", null, default)).Value!.Opportunity;

        var failure = await _crm.DeliverAsync(new RequestInvoiceDraft(_crm.TenantId, open.Id, contact.Id, 10m, "NGN", ReceivedAt));

        Assert.Contains("is 'prospect', not won", Assert.IsType<RejectedMessageException>(failure).Message, StringComparison.Ordinal);
        Assert.Equal(0, await _crm.TenantCountAsync("SELECT COUNT(*) FROM invoice_drafts"));
    }

    private async Task<OpportunityRow> WonOpportunityAsync(decimal amount)
    {
        var contact = (await _crm.Get<BacBos.Consumers.Crm.Contacts.ContactService>().CreateAsync(_crm.TenantId, new("Ada", null, null, null), "key", default)).Value!;
        var opportunities = _crm.Get<OpportunityService>();
        var created = (await opportunities.CreateAsync(_crm.TenantId, new OpportunityDraft(null, contact.Id, null, amount, null, null, null, null), "key", null, default)).Value!;
        return (await opportunities.CloseAsync(_crm.TenantId, created.Opportunity.Id, won: true, null, "key", default)).Value!.Opportunity;
    }
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// Seed §2 end to end on the embedded default: a lead is created, contacted, qualified and converted (contact and
/// opportunity made, converted_at set); the opportunity moves through the pipeline with its probability following the
/// stage (a manual override kept until the stage changes) and is won (100 %, closed_at), and finance records the
/// invoice draft with the tenant's VAT.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_following_the_crm_seed_workflow(CrmGateway gateway)
{
    [Fact]
    public async Task Should_take_a_lead_to_a_won_opportunity_with_an_invoice_draft()
    {
        using var crm = await gateway.NewTenantAsync("Seed Workflow Foods");

        var lead = await crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/leads", new JsonObject
        {
            ["name"] = "Chidi Okafor",
            ["email"] = "Chidi@Okafor.example",
            ["phone"] = "+234 803 555 0101",
            ["company"] = "Okafor Farms",
            ["source"] = "website",
            ["priority"] = "high",
            ["notes"] = "Asked for a quote for 40 veg boxes a week.",
        });
        var leadId = lead.GetProperty("id").GetGuid();
        Assert.Equal(("new", "high", "chidi@okafor.example", "+2348035550101"), (Text(lead, "status"), Text(lead, "priority"), Text(lead, "email"), Text(lead, "phone")));
        Assert.Equal(["contacted", "disqualified"], Strings(lead, "allowed_transitions"));

        Assert.Equal("contacted", Text(await crm.SetLeadStatusAsync(leadId, "contacted"), "status"));
        Assert.Equal("qualified", Text(await crm.SetLeadStatusAsync(leadId, "qualified"), "status"));

        var conversion = await crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/leads/{leadId:D}/convert", new JsonObject
        {
            ["amount"] = 2_400_000,
            ["close_date"] = "2026-12-31",
        });
        var converted = conversion.GetProperty("lead");
        var contact = conversion.GetProperty("contact");
        var opportunity = conversion.GetProperty("opportunity");
        var opportunityId = opportunity.GetProperty("id").GetGuid();
        Assert.Equal("converted", Text(converted, "status"));
        Assert.Equal(JsonValueKind.String, converted.GetProperty("converted_at").ValueKind);
        Assert.Equal(contact.GetProperty("id").GetGuid(), converted.GetProperty("contact_id").GetGuid());
        Assert.Equal(opportunityId, converted.GetProperty("opportunity_id").GetGuid());
        Assert.Equal(("Chidi Okafor", "Okafor Farms", leadId), (Text(contact, "name"), Text(contact, "company"), contact.GetProperty("lead_id").GetGuid()));
        Assert.Equal(("prospect", 10m, "NGN", "2026-12-31"), (Text(opportunity, "stage"), opportunity.GetProperty("probability").GetDecimal(), Text(opportunity, "currency"), Text(opportunity, "close_date")));
        Assert.Equal("2400000.00", opportunity.GetProperty("amount").GetRawText());

        // The stored lead and contact say the same.
        Assert.Equal("converted", Text(await crm.GetAsync($"/api/v1/leads/{leadId:D}"), "status"));
        Assert.Equal(leadId, (await crm.GetAsync($"/api/v1/contacts/{contact.GetProperty("id").GetGuid():D}")).GetProperty("lead_id").GetGuid());

        var qualification = await crm.PatchOpportunityAsync(opportunityId, new JsonObject { ["stage"] = "qualification" });
        Assert.Equal((25m, false), (qualification.GetProperty("probability").GetDecimal(), qualification.GetProperty("probability_overridden").GetBoolean()));

        var overridden = await crm.PatchOpportunityAsync(opportunityId, new JsonObject { ["probability"] = 40 });
        Assert.Equal((40m, true), (overridden.GetProperty("probability").GetDecimal(), overridden.GetProperty("probability_overridden").GetBoolean()));

        var repriced = await crm.PatchOpportunityAsync(opportunityId, new JsonObject { ["amount"] = 2_500_000 });
        Assert.Equal((40m, true), (repriced.GetProperty("probability").GetDecimal(), repriced.GetProperty("probability_overridden").GetBoolean()));
        Assert.Equal("1000000.00", repriced.GetProperty("weighted_amount_in_tenant_currency").GetRawText());

        var proposal = await crm.PatchOpportunityAsync(opportunityId, new JsonObject { ["stage"] = "proposal" });
        Assert.Equal((50m, false), (proposal.GetProperty("probability").GetDecimal(), proposal.GetProperty("probability_overridden").GetBoolean()));

        var negotiation = await crm.PatchOpportunityAsync(opportunityId, new JsonObject { ["stage"] = "negotiation" });
        Assert.Equal(75m, negotiation.GetProperty("probability").GetDecimal());

        var won = await crm.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/opportunities/{opportunityId:D}/close", new JsonObject { ["outcome"] = "won", ["reason"] = "Signed the yearly plan" });
        Assert.Equal(("closed-won", 100m), (Text(won, "stage"), won.GetProperty("probability").GetDecimal()));
        Assert.Equal("Signed the yearly plan", Text(won, "close_reason"));
        Assert.Equal(JsonValueKind.String, won.GetProperty("closed_at").ValueKind);
        Assert.Empty(Strings(won, "allowed_stages"));

        var history = won.GetProperty("stage_history").EnumerateArray().Select(h => $"{Text(h, "stage")}:{h.GetProperty("probability").GetDecimal()}:{h.GetProperty("amount").GetRawText()}").ToList();
        Assert.Equal(
            ["prospect:10:2400000.00", "qualification:25:2400000.00", "qualification:40:2400000.00", "qualification:40:2500000.00", "proposal:50:2500000.00", "negotiation:75:2500000.00", "closed-won:100:2500000.00"],
            history);
        Assert.All(won.GetProperty("stage_history").EnumerateArray(), h => Assert.Equal(crm.Tenant.ApiKey[4..20], Text(h, "actor")));

        // Finance consumes RequestInvoiceDraft after the commit: the draft appears on the opportunity.
        var withDraft = await Eventually.MatchAsync(
            () => crm.GetAsync($"/api/v1/opportunities/{opportunityId:D}"),
            o => o.GetProperty("invoice_draft").ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(30),
            "the invoice draft of the won opportunity");
        var draft = withDraft.GetProperty("invoice_draft");
        Assert.Equal(("VAT standard", 7.5m, true, "NGN"), (Text(draft, "tax_name"), draft.GetProperty("tax_rate_percent").GetDecimal(), draft.GetProperty("tax_inclusive").GetBoolean(), Text(draft, "currency")));
        Assert.Equal(("2325581.40", "174418.60", "2500000.00"), (draft.GetProperty("net_amount").GetRawText(), draft.GetProperty("tax_amount").GetRawText(), draft.GetProperty("total").GetRawText()));
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Text(draft, "draft_date"));
        Assert.Equal(1, await gateway.TenantCountAsync(crm, "SELECT COUNT(*) FROM invoice_drafts"));
    }

    [Fact]
    public async Task Should_convert_a_qualified_lead_when_an_opportunity_is_created_for_it()
    {
        using var crm = await gateway.NewTenantAsync("Seed Opportunity Foods");
        var leadId = await crm.QualifiedLeadAsync("Amaka Eze");

        var opportunity = await crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/opportunities", new JsonObject
        {
            ["lead_id"] = leadId.ToString(),
            ["amount"] = 1500.5,
            ["currency"] = "EUR",
            ["stage"] = "qualification",
        });

        var lead = await crm.GetAsync($"/api/v1/leads/{leadId:D}");
        Assert.Equal("converted", Text(lead, "status"));
        Assert.Equal(opportunity.GetProperty("id").GetGuid(), lead.GetProperty("opportunity_id").GetGuid());
        Assert.Equal(lead.GetProperty("contact_id").GetGuid(), opportunity.GetProperty("contact_id").GetGuid());
        Assert.Equal(("qualification", 25m, "1500.50", "EUR"), (Text(opportunity, "stage"), opportunity.GetProperty("probability").GetDecimal(), opportunity.GetProperty("amount").GetRawText(), Text(opportunity, "currency")));
        var fx = opportunity.GetProperty("fx");
        Assert.Equal("NGN", Text(fx, "tenant_currency"));
        Assert.Contains("sample rates", Text(fx, "source"), StringComparison.Ordinal);
        var expected = decimal.Round(1500.50m * fx.GetProperty("rate_to_tenant").GetDecimal(), 2, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, opportunity.GetProperty("amount_in_tenant_currency").GetDecimal());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// Tenant isolation: every CRM endpoint called with another tenant's key about this tenant's records answers 404 and
/// shows none of their data; lists show only the caller's own records; nothing of the owner changes. The operator key
/// is not a tenant: 403.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_another_tenant_calls_the_crm(CrmGateway gateway) : IAsyncLifetime
{
    private const string Secret = "Zebedee Owner-Only";
    private Tenants _t = null!;

    /// <summary>Two tenants and the owner's records, made once for the class (no test may change them).</summary>
    private sealed record Tenants(CrmClient Owner, CrmClient Other, Guid Lead, Guid QualifiedLead, Guid Contact, Guid Opportunity);

    private CrmClient Owner => _t.Owner;

    private CrmClient Other => _t.Other;

    private Guid LeadId => _t.Lead;

    private Guid QualifiedLead => _t.QualifiedLead;

    private Guid ContactId => _t.Contact;

    private Guid OpportunityId => _t.Opportunity;

    public async Task InitializeAsync() => _t = await gateway.SharedAsync(nameof(When_another_tenant_calls_the_crm), async () =>
    {
        var owner = await gateway.NewTenantAsync("Owner Foods");
        var other = await gateway.NewTenantAsync("Other Foods");
        var lead = Id(await owner.CreateLeadAsync(Secret));
        var qualified = await owner.QualifiedLeadAsync(Secret + " Qualified");
        var contact = Id(await owner.CreateContactAsync(Secret + " Contact"));
        var opportunity = Id(await owner.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/opportunities", new JsonObject
        {
            ["contact_id"] = contact.ToString(),
            ["name"] = Secret + " Deal",
            ["amount"] = 777,
        }));
        return new Tenants(owner, other, lead, qualified, contact, opportunity);
    });

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string> Endpoints() => new()
    {
        { "GET", "/api/v1/leads/{lead}", "" },
        { "PATCH", "/api/v1/leads/{lead}", """{"status":"contacted"}""" },
        { "POST", "/api/v1/leads/{qualified}/convert", """{"amount":10}""" },
        { "GET", "/api/v1/contacts/{contact}", "" },
        { "GET", "/api/v1/opportunities/{opportunity}", "" },
        { "PATCH", "/api/v1/opportunities/{opportunity}", """{"stage":"proposal"}""" },
        { "POST", "/api/v1/opportunities/{opportunity}/close", """{"outcome":"won"}""" },
        { "POST", "/api/v1/opportunities", """{"contact_id":"{contact}","amount":10}""" },
        { "POST", "/api/v1/opportunities", """{"lead_id":"{qualified}","amount":10}""" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Should_answer_404_without_the_owner_s_data(string method, string path, string body)
    {
        using var response = await Other.SendAsync(new HttpMethod(method), Fill(path), body.Length == 0 ? null : JsonNode.Parse(Fill(body)));

        var text = await response.Content.ReadAsStringAsync();
        await Responses.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain("Zebedee", text, StringComparison.Ordinal);
        await AssertOwnerUnchangedAsync();
    }

    [Theory]
    [InlineData("/api/v1/leads")]
    [InlineData("/api/v1/contacts")]
    [InlineData("/api/v1/opportunities")]
    public async Task Should_list_only_the_caller_s_own_records(string path)
    {
        using var response = await Other.SendAsync(HttpMethod.Get, path);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Zebedee", text, StringComparison.Ordinal);
        var page = await Responses.JsonAsync(response);
        Assert.Equal(0, page.GetProperty("total").GetInt64());
        Assert.True((await Owner.GetAsync(path)).GetProperty("total").GetInt64() > 0);
    }

    [Fact]
    public async Task Should_refuse_the_operator_key_on_the_crm()
    {
        using var operatorClient = gateway.CreateOperatorClient();

        foreach (var path in new[] { "/api/v1/leads", "/api/v1/contacts", "/api/v1/opportunities", $"/api/v1/leads/{LeadId:D}" })
        {
            using var response = await operatorClient.GetAsync(path);
            await Responses.ProblemAsync(response, HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Should_refuse_anonymous_callers()
    {
        using var anonymous = gateway.CreateClient();
        using var response = await anonymous.GetAsync("/api/v1/leads");
        await Responses.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private string Fill(string template) => template
        .Replace("{lead}", LeadId.ToString(), StringComparison.Ordinal)
        .Replace("{qualified}", QualifiedLead.ToString(), StringComparison.Ordinal)
        .Replace("{contact}", ContactId.ToString(), StringComparison.Ordinal)
        .Replace("{opportunity}", OpportunityId.ToString(), StringComparison.Ordinal);

    private async Task AssertOwnerUnchangedAsync()
    {
        Assert.Equal("new", Text(await Owner.GetAsync($"/api/v1/leads/{LeadId:D}"), "status"));
        Assert.Equal("qualified", Text(await Owner.GetAsync($"/api/v1/leads/{QualifiedLead:D}"), "status"));
        Assert.Equal("prospect", Text(await Owner.GetAsync($"/api/v1/opportunities/{OpportunityId:D}"), "stage"));
        Assert.Equal(1, (await Owner.GetAsync("/api/v1/opportunities")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await Other.GetAsync("/api/v1/opportunities")).GetProperty("total").GetInt64());
    }
}

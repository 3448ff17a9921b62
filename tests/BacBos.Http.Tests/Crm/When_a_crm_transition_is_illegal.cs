using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// An illegal lifecycle move answers 409 problem+json naming the current state and the allowed ones; nothing changes.
/// The tests share a tenant; each makes and checks its own records.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_a_crm_transition_is_illegal(CrmGateway gateway) : IAsyncLifetime
{
    private CrmClient _crm = null!;

    public async Task InitializeAsync() => _crm = await gateway.SharedAsync(nameof(When_a_crm_transition_is_illegal), () => gateway.NewTenantAsync("Illegal Moves Foods"));

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> ConflictAsync(HttpMethod method, string path, JsonNode body)
    {
        using var response = await _crm.SendAsync(method, path, body);
        var problem = await Responses.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("https://bacbos.dev/problems/illegal-transition", Text(problem, "type"));
        return problem;
    }

    [Theory]
    [InlineData("new", "qualified", new[] { "contacted", "disqualified" })]
    [InlineData("new", "converted", new[] { "contacted", "disqualified" })]
    [InlineData("contacted", "new", new[] { "qualified", "disqualified" })]
    [InlineData("qualified", "contacted", new[] { "converted", "disqualified" })]
    [InlineData("disqualified", "contacted", new string[0])]
    [InlineData("disqualified", "new", new string[0])]
    public async Task Should_refuse_a_lead_move_naming_current_and_allowed(string from, string to, string[] allowed)
    {
        var id = Id(await _crm.CreateLeadAsync("Mover " + from));
        foreach (var step in from switch { "contacted" => new[] { "contacted" }, "qualified" => ["contacted", "qualified"], "disqualified" => ["disqualified"], _ => [] })
        {
            await _crm.SetLeadStatusAsync(id, step);
        }

        var problem = await ConflictAsync(HttpMethod.Patch, $"/api/v1/leads/{id:D}", new JsonObject { ["status"] = to });

        Assert.Equal(("lead", from), (Text(problem, "resource"), Text(problem, "current")));
        Assert.Equal(allowed, Strings(problem, "allowed"));
        Assert.Equal(from, Text(await _crm.GetAsync($"/api/v1/leads/{id:D}"), "status"));
    }

    [Fact]
    public async Task Should_send_a_qualified_lead_to_conversion_instead_of_patching_it_converted()
    {
        var id = await _crm.QualifiedLeadAsync("Patch Converter");

        using var response = await _crm.SendAsync(HttpMethod.Patch, $"/api/v1/leads/{id:D}", new JsonObject { ["status"] = "converted" });

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("https://bacbos.dev/problems/conversion-required", Text(problem, "type"));
        Assert.Contains($"/api/v1/leads/{id:D}/convert", Text(problem, "detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_to_convert_a_lead_that_is_not_qualified()
    {
        var id = Id(await _crm.CreateLeadAsync("Too Early"));

        var problem = await ConflictAsync(HttpMethod.Post, $"/api/v1/leads/{id:D}/convert", new JsonObject { ["amount"] = 10 });

        Assert.Equal("new", Text(problem, "current"));
        Assert.Equal(["contacted", "disqualified"], Strings(problem, "allowed"));
        Assert.Equal(0, (await _crm.GetAsync($"/api/v1/contacts?lead_id={id:D}")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await _crm.GetAsync($"/api/v1/opportunities?lead_id={id:D}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Should_refuse_a_second_conversion_and_point_at_the_first()
    {
        var id = await _crm.QualifiedLeadAsync("Twice Converted");
        var first = await _crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/v1/leads/{id:D}/convert", new JsonObject { ["amount"] = 10 });

        var problem = await ConflictAsync(HttpMethod.Post, $"/api/v1/leads/{id:D}/convert", new JsonObject { ["amount"] = 10 });

        Assert.Equal("converted", Text(problem, "current"));
        Assert.Empty(Strings(problem, "allowed"));
        Assert.Equal(Id(first.GetProperty("opportunity")), problem.GetProperty("opportunity_id").GetGuid());
        Assert.Equal(1, (await _crm.GetAsync($"/api/v1/opportunities?lead_id={id:D}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Should_refuse_an_opportunity_for_a_lead_that_is_not_qualified()
    {
        var id = Id(await _crm.CreateLeadAsync("Not Ready"));
        await _crm.SetLeadStatusAsync(id, "contacted");

        var problem = await ConflictAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["lead_id"] = id.ToString(), ["amount"] = 5 });

        Assert.Equal(("lead", "contacted"), (Text(problem, "resource"), Text(problem, "current")));
        Assert.Equal(["qualified", "disqualified"], Strings(problem, "allowed"));
    }

    [Theory]
    [InlineData("negotiation", "qualification", new[] { "proposal", "closed-won", "closed-lost" })]
    [InlineData("proposal", "prospect", new[] { "qualification", "negotiation", "closed-won", "closed-lost" })]
    public async Task Should_refuse_a_stage_move_back_by_more_than_one(string from, string to, string[] allowed)
    {
        var deal = await _crm.CreateOpportunityAsync(1000m, stage: from);

        var problem = await ConflictAsync(HttpMethod.Patch, $"/api/v1/opportunities/{Id(deal):D}", new JsonObject { ["stage"] = to });

        Assert.Equal(("opportunity", from), (Text(problem, "resource"), Text(problem, "current")));
        Assert.Equal(allowed, Strings(problem, "allowed"));
    }

    [Theory]
    [InlineData("won")]
    [InlineData("lost")]
    public async Task Should_refuse_every_change_to_a_closed_opportunity(string outcome)
    {
        var deal = await _crm.CreateOpportunityAsync(1000m, stage: "negotiation");
        var path = $"/api/v1/opportunities/{Id(deal):D}";
        await _crm.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, path + "/close", new JsonObject { ["outcome"] = outcome });

        foreach (var (method, target, body) in new (HttpMethod, string, JsonObject)[]
                 {
                     (HttpMethod.Patch, path, new JsonObject { ["stage"] = "negotiation" }),
                     (HttpMethod.Patch, path, new JsonObject { ["amount"] = 5 }),
                     (HttpMethod.Patch, path, new JsonObject { ["probability"] = 50 }),
                     (HttpMethod.Post, path + "/close", new JsonObject { ["outcome"] = outcome == "won" ? "lost" : "won" }),
                 })
        {
            var problem = await ConflictAsync(method, target, body);
            Assert.Equal("closed-" + outcome, Text(problem, "current"));
            Assert.Empty(Strings(problem, "allowed"));
        }

        var after = await _crm.GetAsync(path);
        Assert.Equal(("closed-" + outcome, "1000.00"), (Text(after, "stage"), after.GetProperty("amount").GetRawText()));
    }
}

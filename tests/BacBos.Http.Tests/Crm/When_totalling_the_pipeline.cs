using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// The opportunity list carries pipeline totals per stage — count, amount and probability-weighted amount — in the
/// tenant's currency at each opportunity's recorded FX rate, over every opportunity the filters match (not one page).
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_totalling_the_pipeline(CrmGateway gateway)
{
    [Fact]
    public async Task Should_total_each_stage_in_the_tenant_currency()
    {
        using var crm = await gateway.NewTenantAsync("Pipeline Foods");
        await crm.CreateOpportunityAsync(1_000_000m, name: "A");                                           // prospect 10 %
        await crm.CreateOpportunityAsync(2_000_000m, stage: "proposal", name: "B");                        // proposal 50 %
        await crm.CreateOpportunityAsync(500_000m, stage: "proposal", probability: 80m, name: "C");        // proposal, overridden 80 %
        var euro = await crm.CreateOpportunityAsync(1234.56m, currency: "EUR", stage: "negotiation", name: "D"); // 75 %
        var lost = await crm.CreateOpportunityAsync(300_000m, name: "E");
        await crm.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/opportunities/{Id(lost):D}/close", new JsonObject { ["outcome"] = "lost", ["reason"] = "went with a competitor" });

        var rate = euro.GetProperty("fx").GetProperty("rate_to_tenant").GetDecimal();
        var euroInNaira = Round(1234.56m * rate);
        Assert.Equal(euroInNaira, euro.GetProperty("amount_in_tenant_currency").GetDecimal());

        // Amount sorts by the value in the tenant's currency: D (≈ 2.1 M NGN from EUR) before B (2 M NGN).
        var list = await crm.GetAsync("/api/v1/opportunities?page_size=2&sort=-amount");
        Assert.Equal(["D", "B"], Items(list, "name"));
        Assert.Equal(["A", "C"], Items(await crm.GetAsync(Text(list, "next")!), "name"));
        Assert.Equal(5, list.GetProperty("total").GetInt64());

        var pipeline = list.GetProperty("pipeline");
        Assert.Equal("NGN", Text(pipeline, "currency"));
        var stages = pipeline.GetProperty("stages").EnumerateArray().ToDictionary(s => Text(s, "stage")!);
        Assert.Equal(["prospect", "qualification", "proposal", "negotiation", "closed-won", "closed-lost"], stages.Keys);
        AssertStage(stages["prospect"], 1, 1_000_000m, 100_000m);
        AssertStage(stages["qualification"], 0, 0m, 0m);
        AssertStage(stages["proposal"], 2, 2_500_000m, 1_000_000m + 400_000m);
        AssertStage(stages["negotiation"], 1, euroInNaira, Round(euroInNaira * 0.75m));
        AssertStage(stages["closed-lost"], 1, 300_000m, 0m);
        Assert.Equal(1_000_000m + 2_500_000m + euroInNaira + 300_000m, pipeline.GetProperty("total_amount").GetDecimal());
        Assert.Equal(100_000m + 1_400_000m + Round(euroInNaira * 0.75m), pipeline.GetProperty("total_weighted_amount").GetDecimal());
    }

    [Fact]
    public async Task Should_total_only_what_the_filters_match()
    {
        using var crm = await gateway.NewTenantAsync("Filtered Pipeline Foods");
        await crm.CreateOpportunityAsync(100m, stage: "proposal");
        await crm.CreateOpportunityAsync(200m, currency: "EUR", stage: "proposal");
        await crm.CreateOpportunityAsync(400m);

        var proposals = await crm.GetAsync("/api/v1/opportunities?stage=proposal&currency=NGN");

        Assert.Equal(1, proposals.GetProperty("total").GetInt64());
        Assert.Equal(100m, proposals.GetProperty("pipeline").GetProperty("total_amount").GetDecimal());
        Assert.Equal(50m, proposals.GetProperty("pipeline").GetProperty("total_weighted_amount").GetDecimal());

        using var unknown = await crm.SendAsync(HttpMethod.Get, "/api/v1/opportunities?stage=won");
        var problem = await Responses.ProblemAsync(unknown, HttpStatusCode.BadRequest);
        Assert.Contains("prospect, qualification, proposal, negotiation, closed-won, closed-lost", problem.GetProperty("errors").GetProperty("stage")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_move_a_won_deal_to_its_full_amount()
    {
        using var crm = await gateway.NewTenantAsync("Won Pipeline Foods");
        var deal = await crm.CreateOpportunityAsync(80_000m, stage: "negotiation", probability: 90m);
        await crm.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/opportunities/{Id(deal):D}/close", new JsonObject { ["outcome"] = "won" });

        var pipeline = (await crm.GetAsync("/api/v1/opportunities")).GetProperty("pipeline");

        var won = pipeline.GetProperty("stages").EnumerateArray().Single(s => Text(s, "stage") == "closed-won");
        AssertStage(won, 1, 80_000m, 80_000m);
    }

    private static decimal Round(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);

    private static void AssertStage(JsonElement stage, long count, decimal amount, decimal weighted) =>
        Assert.Equal((count, amount, weighted), (stage.GetProperty("count").GetInt64(), stage.GetProperty("amount").GetDecimal(), stage.GetProperty("weighted_amount").GetDecimal()));
}

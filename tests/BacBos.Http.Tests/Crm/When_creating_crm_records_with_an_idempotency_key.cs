using System.Net;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /leads</c> and <c>POST /opportunities</c>: a retry (also a concurrent one) answers
/// the same resource and creates nothing more; the same key with another body is 422; keys are per tenant.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_creating_crm_records_with_an_idempotency_key(CrmGateway gateway)
{
    [Fact]
    public async Task Should_create_one_lead_for_retries_of_one_key()
    {
        using var crm = await gateway.NewTenantAsync("Idempotent Leads");
        var body = new JsonObject { ["name"] = "Ada Obi", ["email"] = "ada@example.com" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => crm.SendAsync(HttpMethod.Post, "/api/v1/leads", body.DeepClone(), "lead-key-1")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async a => Id(await Responses.JsonAsync(a))));
        Assert.Single(ids.Distinct());
        Assert.Equal(3, answers.Count(a => a.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true"));
        Assert.Equal(1, (await crm.GetAsync("/api/v1/leads")).GetProperty("total").GetInt64());
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Should_refuse_a_key_reused_for_another_body()
    {
        using var crm = await gateway.NewTenantAsync("Idempotent Reuse");
        await crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "Ada", ["email"] = "ada@example.com" }, "reused");

        using var response = await crm.SendAsync(HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "Bola", ["email"] = "bola@example.com" }, "reused");

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("https://bacbos.dev/problems/idempotency-key-reused", Text(problem, "type"));
        Assert.Equal(1, (await crm.GetAsync("/api/v1/leads")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Should_create_one_opportunity_for_a_retried_key_and_keep_keys_per_tenant()
    {
        using var crm = await gateway.NewTenantAsync("Idempotent Deals");
        using var neighbour = await gateway.NewTenantAsync("Idempotent Neighbour");
        var contact = Id(await crm.CreateContactAsync("Ada")).ToString();
        var body = new JsonObject { ["contact_id"] = contact, ["amount"] = 12.5, ["currency"] = "EUR" };

        var first = await crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/opportunities", body.DeepClone(), "deal-key");
        var retry = await crm.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/opportunities", body.DeepClone(), "deal-key");
        var neighbourContact = Id(await neighbour.CreateContactAsync("Bola")).ToString();
        var elsewhere = await neighbour.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["contact_id"] = neighbourContact, ["amount"] = 12.5, ["currency"] = "EUR" }, "deal-key");

        Assert.Equal(Id(first), Id(retry));
        Assert.NotEqual(Id(first), Id(elsewhere));
        Assert.Equal(1, (await crm.GetAsync("/api/v1/opportunities")).GetProperty("total").GetInt64());
    }
}

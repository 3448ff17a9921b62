using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// Bad input gets a precise problem: 400 with every field error (unknown enumeration values name the allowed ones),
/// 400 for malformed JSON or unknown members, 404 for ids the tenant does not have, 413, 415, 422 for requests that
/// cannot be carried out — never 500, and nothing is written.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_crm_input_is_invalid(CrmGateway gateway) : IAsyncLifetime
{
    private CrmClient _crm = null!;

    public async Task InitializeAsync() => _crm = await gateway.NewTenantAsync("Invalid Input Foods");

    public Task DisposeAsync()
    {
        _crm.Dispose();
        return Task.CompletedTask;
    }

    private async Task<IReadOnlyList<string>> ValidationErrorsAsync(HttpMethod method, string path, JsonNode body)
    {
        using var response = await _crm.SendAsync(method, path, body);
        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("https://bacbos.dev/problems/validation", Text(problem, "type"));
        return Responses.ErrorKeys(problem).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Should_report_every_problem_of_a_new_lead()
    {
        var keys = await ValidationErrorsAsync(HttpMethod.Post, "/api/v1/leads", new JsonObject
        {
            ["name"] = "",
            ["email"] = "not-an-email",
            ["phone"] = "0803",
            ["source"] = "billboard",
            ["priority"] = "critical",
            ["notes"] = new string('n', 4001),
        });

        Assert.Equal(["email", "name", "notes", "phone", "priority", "source"], keys);
        Assert.Equal(0, (await _crm.GetAsync("/api/v1/leads")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Should_name_the_allowed_values_of_an_unknown_enumeration()
    {
        using var response = await _crm.SendAsync(HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "Ada", ["email"] = "ada@example.com", ["priority"] = "asap" });

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Unknown priority 'asap'; use one of low, medium, high, urgent.", problem.GetProperty("errors").GetProperty("priority")[0].GetString());
    }

    [Theory]
    [InlineData("{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"status\":\"qualified\"}", "unknown member at '$.status'")]
    [InlineData("{\"name\":42}", "wrong type at '$.name'")]
    [InlineData("{\"name\":\"Ada\",", "invalid JSON")]
    [InlineData("", "empty")]
    public async Task Should_refuse_a_body_that_is_not_a_lead(string body, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leads") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _crm.Http.SendAsync(request);

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("https://bacbos.dev/problems/malformed-json", Text(problem, "type"));
        Assert.Contains(expected, Text(problem, "detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_other_media_types_and_oversized_bodies()
    {
        using var text = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leads") { Content = new StringContent("name=Ada", Encoding.UTF8, "text/plain") };
        using var textResponse = await _crm.Http.SendAsync(text);
        await Responses.ProblemAsync(textResponse, HttpStatusCode.UnsupportedMediaType);

        using var huge = await _crm.SendAsync(HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "Ada", ["notes"] = new string('x', 70_000) });
        await Responses.ProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Should_report_every_problem_of_a_lead_change()
    {
        var id = Id(await _crm.CreateLeadAsync("Ada"));

        Assert.Equal(["priority", "status"], await ValidationErrorsAsync(HttpMethod.Patch, $"/api/v1/leads/{id:D}", new JsonObject { ["status"] = "won", ["priority"] = null }));
        Assert.Equal(["body"], await ValidationErrorsAsync(HttpMethod.Patch, $"/api/v1/leads/{id:D}", new JsonObject()));
        Assert.Equal("new", Text(await _crm.GetAsync($"/api/v1/leads/{id:D}"), "status"));
    }

    [Fact]
    public async Task Should_report_every_problem_of_a_new_opportunity()
    {
        Assert.Equal(
            ["amount", "close_date", "contact_id", "currency", "probability", "stage"],
            await ValidationErrorsAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject
            {
                ["contact_id"] = "42",
                ["amount"] = -1,
                ["currency"] = "XXX",
                ["stage"] = "Closed Won!",
                ["probability"] = 101,
                ["close_date"] = "31/12/2026",
            }));
        Assert.Equal(["contact_id"], await ValidationErrorsAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["amount"] = 5 }));
    }

    [Theory]
    [InlineData("JPY", 10.5, "JPY has 0 decimal place(s)")]
    [InlineData("EUR", 1.999, "EUR has 2 decimal place(s)")]
    [InlineData("KWD", 1.0001, "KWD has 3 decimal place(s)")]
    public async Task Should_refuse_an_amount_finer_than_its_currency(string currency, double amount, string expected)
    {
        var contact = Id(await _crm.CreateContactAsync("Ada"));

        using var response = await _crm.SendAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["contact_id"] = contact.ToString(), ["amount"] = amount, ["currency"] = currency });

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith(expected, problem.GetProperty("errors").GetProperty("amount")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_an_unknown_stage_or_a_closed_one_for_a_new_opportunity()
    {
        var contact = Id(await _crm.CreateContactAsync("Ada")).ToString();

        Assert.Equal(["stage"], await ValidationErrorsAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["contact_id"] = contact, ["amount"] = 5, ["stage"] = "won" }));
        Assert.Equal(["stage"], await ValidationErrorsAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["contact_id"] = contact, ["amount"] = 5, ["stage"] = "closed-won" }));
        Assert.Equal(0, (await _crm.GetAsync("/api/v1/opportunities")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Should_refuse_a_currency_without_an_exchange_rate_with_422()
    {
        var contact = Id(await _crm.CreateContactAsync("Ada"));

        using var response = await _crm.SendAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["contact_id"] = contact.ToString(), ["amount"] = 5, ["currency"] = "SEK" });

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("https://bacbos.dev/problems/fx-rate-unavailable", Text(problem, "type"));
        Assert.Contains("SEK", Text(problem, "detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_404_for_references_the_tenant_does_not_have()
    {
        var nobody = Guid.NewGuid();

        using var contact = await _crm.SendAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["contact_id"] = nobody.ToString(), ["amount"] = 5 });
        using var lead = await _crm.SendAsync(HttpMethod.Post, "/api/v1/opportunities", new JsonObject { ["lead_id"] = nobody.ToString(), ["amount"] = 5 });

        Assert.Equal("contact", Text(await Responses.ProblemAsync(contact, HttpStatusCode.NotFound), "resource"));
        Assert.Equal("lead", Text(await Responses.ProblemAsync(lead, HttpStatusCode.NotFound), "resource"));
    }

    [Fact]
    public async Task Should_report_every_problem_of_an_opportunity_change_and_a_close()
    {
        var deal = Id(await _crm.CreateOpportunityAsync(100m));

        Assert.Equal(["amount", "close_date", "name", "probability"], await ValidationErrorsAsync(HttpMethod.Patch, $"/api/v1/opportunities/{deal:D}", new JsonObject
        {
            ["name"] = " ",
            ["amount"] = null,
            ["probability"] = -5,
            ["close_date"] = "tomorrow",
        }));
        Assert.Equal(["probability"], await ValidationErrorsAsync(HttpMethod.Patch, $"/api/v1/opportunities/{deal:D}", new JsonObject { ["stage"] = "closed-won", ["probability"] = 50 }));
        Assert.Equal(["outcome"], await ValidationErrorsAsync(HttpMethod.Post, $"/api/v1/opportunities/{deal:D}/close", new JsonObject { ["outcome"] = "abandoned" }));
        Assert.Equal(["outcome"], await ValidationErrorsAsync(HttpMethod.Post, $"/api/v1/opportunities/{deal:D}/close", new JsonObject()));
        Assert.Equal("prospect", Text(await _crm.GetAsync($"/api/v1/opportunities/{deal:D}"), "stage"));
    }

    [Fact]
    public async Task Should_refuse_an_invalid_idempotency_key()
    {
        using var response = await _crm.SendAsync(HttpMethod.Post, "/api/v1/leads", new JsonObject { ["name"] = "Ada", ["email"] = "ada@example.com" }, idempotencyKey: new string('k', 256));

        Assert.Equal(["Idempotency-Key"], Responses.ErrorKeys(await Responses.ProblemAsync(response, HttpStatusCode.BadRequest)));
    }
}

using System.Net;
using System.Text.Json;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Crm;

/// <summary>
/// Lists filter (status, priority, source; email, company; stage, currency), page (<c>page</c>, <c>page_size</c> up to
/// 200, <c>total</c>, <c>next</c>) and sort (whitelisted keys, <c>-</c> for descending). One tenant with known data.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_listing_crm_records(CrmGateway gateway) : IAsyncLifetime
{
    private CrmClient _crm = null!;
    private readonly Dictionary<string, Guid> _leads = new();

    public async Task InitializeAsync()
    {
        _crm = await gateway.NewTenantAsync("Listing Foods");
        foreach (var (name, priority, source, status) in new[]
                 {
                     ("Ada", "low", "website", "new"),
                     ("Bola", "urgent", "referral", "contacted"),
                     ("Chidi", "high", "website", "qualified"),
                     ("Dayo", "medium", "event", "new"),
                     ("Emeka", "high", "website", "disqualified"),
                 })
        {
            var id = Id(await _crm.CreateLeadAsync(name, priority, source));
            _leads[name] = id;
            foreach (var step in status switch
                     {
                         "contacted" => new[] { "contacted" },
                         "qualified" => ["contacted", "qualified"],
                         "disqualified" => ["disqualified"],
                         _ => [],
                     })
            {
                await _crm.SetLeadStatusAsync(id, step);
            }
        }
    }

    public Task DisposeAsync()
    {
        _crm.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_list_newest_first_by_default_with_the_total()
    {
        var page = await _crm.GetAsync("/api/v1/leads");

        Assert.Equal(["Emeka", "Dayo", "Chidi", "Bola", "Ada"], Items(page, "name"));
        Assert.Equal((5, 1, 50), (page.GetProperty("total").GetInt64(), page.GetProperty("page").GetInt32(), page.GetProperty("page_size").GetInt32()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("status=new", new[] { "Ada", "Dayo" })]
    [InlineData("status=qualified", new[] { "Chidi" })]
    [InlineData("priority=high", new[] { "Chidi", "Emeka" })]
    [InlineData("source=website", new[] { "Ada", "Chidi", "Emeka" })]
    [InlineData("source=website&priority=high&status=disqualified", new[] { "Emeka" })]
    [InlineData("status=converted", new string[0])]
    [InlineData("channel=api", new[] { "Ada", "Bola", "Chidi", "Dayo", "Emeka" })]
    public async Task Should_filter(string query, string[] expected)
    {
        var page = await _crm.GetAsync($"/api/v1/leads?{query}&sort=name");

        Assert.Equal(expected, Items(page, "name"));
        Assert.Equal(expected.Length, page.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("name", new[] { "Ada", "Bola", "Chidi", "Dayo", "Emeka" })]
    [InlineData("-name", new[] { "Emeka", "Dayo", "Chidi", "Bola", "Ada" })]
    [InlineData("created_at", new[] { "Ada", "Bola", "Chidi", "Dayo", "Emeka" })]
    [InlineData("-priority", new[] { "Bola", "Emeka", "Chidi", "Dayo", "Ada" })]
    [InlineData("priority", new[] { "Ada", "Dayo", "Chidi", "Emeka", "Bola" })]
    public async Task Should_sort_by_a_whitelisted_key(string sort, string[] expected) =>
        Assert.Equal(expected, Items(await _crm.GetAsync($"/api/v1/leads?sort={sort}"), "name"));

    [Fact]
    public async Task Should_page_and_link_the_next_page_with_the_same_filters()
    {
        var first = await _crm.GetAsync("/api/v1/leads?sort=name&page_size=2&source=website");
        Assert.Equal(["Ada", "Chidi"], Items(first, "name"));
        Assert.Equal(3, first.GetProperty("total").GetInt64());
        var next = Text(first, "next")!;
        Assert.Equal("/api/v1/leads?sort=name&page_size=2&source=website&page=2", next);

        var second = await _crm.GetAsync(next);
        Assert.Equal(["Emeka"], Items(second, "name"));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var beyond = await _crm.GetAsync("/api/v1/leads?page=9&page_size=2");
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
        Assert.Equal(5, beyond.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Should_accept_the_largest_page_size_and_no_larger()
    {
        Assert.Equal(200, (await _crm.GetAsync("/api/v1/leads?page_size=200")).GetProperty("page_size").GetInt32());

        using var response = await _crm.SendAsync(HttpMethod.Get, "/api/v1/leads?page_size=201");
        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["page_size"], Responses.ErrorKeys(problem));
    }

    [Fact]
    public async Task Should_report_every_bad_list_parameter()
    {
        using var response = await _crm.SendAsync(HttpMethod.Get, "/api/v1/leads?status=won&priority=critical&source=tv&sort=-email&page=0&colour=blue");

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["colour", "page", "priority", "sort", "source", "status"], Responses.ErrorKeys(problem).Order(StringComparer.Ordinal));
        var errors = problem.GetProperty("errors");
        Assert.Contains("new, contacted, qualified, converted, disqualified", errors.GetProperty("status")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("created_at", errors.GetProperty("sort")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_filter_and_sort_contacts()
    {
        await _crm.CreateContactAsync("Zainab");
        await _crm.CreateContactAsync("Yusuf");

        Assert.Equal(["Yusuf", "Zainab"], Items(await _crm.GetAsync("/api/v1/contacts?sort=name&email=CONTACT@example.com"), "name"));
        Assert.Empty(Items(await _crm.GetAsync("/api/v1/contacts?company=Nobody"), "name"));
        using var bad = await _crm.SendAsync(HttpMethod.Get, "/api/v1/contacts?lead_id=42");
        Assert.Equal(["lead_id"], Responses.ErrorKeys(await Responses.ProblemAsync(bad, HttpStatusCode.BadRequest)));
    }
}

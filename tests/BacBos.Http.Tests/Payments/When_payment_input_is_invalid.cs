using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Payments;

/// <summary>
/// Bad payment input gets a precise problem — 400 per field, 401, 404, 409, 413, 415, and 422 for an amount more
/// precise than its currency — never 500, and nothing is written.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_payment_input_is_invalid(PaymentsGateway gateway) : IAsyncLifetime
{
    private CrmClient _tenant = null!;

    public async Task InitializeAsync() => _tenant = await gateway.NewTenantAsync("Invalid Payments Ltd");

    public Task DisposeAsync()
    {
        _tenant.Dispose();
        return Task.CompletedTask;
    }

    private async Task<long> PaymentCountAsync() => (await _tenant.GetAsync("/api/v1/payments")).GetProperty("total").GetInt64();

    [Fact]
    public async Task Should_report_every_field_problem_of_a_new_payment()
    {
        using var response = await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", new JsonObject
        {
            ["amount"] = 1,
            ["currency"] = "XYZ",
            ["gateway"] = "paypal",
            ["customer"] = new JsonObject { ["email"] = "not-an-email" },
            ["contact_id"] = "nope",
        });

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["contact_id", "currency", "customer.email", "gateway"], Responses.ErrorKeys(problem).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(0, await PaymentCountAsync());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(1.5, 150L)]
    public async Task Should_need_exactly_one_amount_form(double? amount, long? minor)
    {
        using var response = await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", new JsonObject { ["amount"] = amount, ["amount_minor"] = minor, ["currency"] = "USD" });

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["amount"], Responses.ErrorKeys(problem));
    }

    [Theory]
    [InlineData("12.345", "USD")]
    [InlineData("100.5", "JPY")]
    [InlineData("1.5", "CLP")]
    [InlineData("1.2345", "KWD")]
    public async Task Should_refuse_more_decimals_than_the_currency_has(string amount, string currency)
    {
        var body = $"{{\"amount\":{amount},\"currency\":\"{currency}\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _tenant.Http.SendAsync(request);

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("https://bacbos.dev/problems/amount-precision", Text(problem, "type"));
        Assert.Contains($"more decimals than {currency} allows", Text(problem, "detail"), StringComparison.Ordinal);
        Assert.Equal(0, await PaymentCountAsync());
    }

    [Fact]
    public async Task Should_answer_415_413_and_400_for_bodies_that_are_not_a_payment()
    {
        using var plain = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments") { Content = new StringContent("amount=1", Encoding.UTF8, "text/plain") };
        await Responses.ProblemAsync(await _tenant.Http.SendAsync(plain), HttpStatusCode.UnsupportedMediaType);

        var huge = new JsonObject { ["amount"] = 1, ["currency"] = "USD", ["description"] = new string('d', 70_000) };
        await Responses.ProblemAsync(await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", huge), HttpStatusCode.RequestEntityTooLarge);

        using var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments") { Content = new StringContent("{\"amount\":", Encoding.UTF8, "application/json") };
        Assert.Equal("https://bacbos.dev/problems/malformed-json", Text(await Responses.ProblemAsync(await _tenant.Http.SendAsync(malformed), HttpStatusCode.BadRequest), "type"));

        var unknown = new JsonObject { ["amount"] = 1, ["currency"] = "USD", ["card_number"] = "4242424242424242" };
        await Responses.ProblemAsync(await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", unknown), HttpStatusCode.BadRequest);
        Assert.Equal(0, await PaymentCountAsync());
    }

    [Fact]
    public async Task Should_answer_401_without_a_key_and_400_for_a_bad_idempotency_key()
    {
        using var anonymous = gateway.CreateClient();
        var body = new JsonObject { ["amount"] = 1, ["currency"] = "USD" };
        using var response = await anonymous.PostAsync("/api/v1/payments", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var badKey = await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", body, idempotencyKey: new string('k', 300));
        Assert.Equal(["Idempotency-Key"], Responses.ErrorKeys(await Responses.ProblemAsync(badKey, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_payment_or_contact()
    {
        var id = Guid.NewGuid();
        await Responses.ProblemAsync(await _tenant.SendAsync(HttpMethod.Get, $"/api/v1/payments/{id:D}"), HttpStatusCode.NotFound);
        await Responses.ProblemAsync(await _tenant.SendAsync(HttpMethod.Post, $"/api/v1/payments/{id:D}/refunds", new JsonObject()), HttpStatusCode.NotFound);
        var withContact = new JsonObject { ["amount"] = 1, ["currency"] = "USD", ["contact_id"] = id.ToString() };
        await Responses.ProblemAsync(await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", withContact), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Should_refuse_to_refund_a_payment_that_did_not_succeed()
    {
        var payment = await PaymentsGateway.CreateStripePaymentAsync(_tenant);

        using var both = await _tenant.SendAsync(HttpMethod.Post, $"/api/v1/payments/{Id(payment):D}/refunds", new JsonObject { ["amount"] = 1, ["amount_minor"] = 100 });
        await Responses.ProblemAsync(both, HttpStatusCode.BadRequest);
        using var refused = await _tenant.SendAsync(HttpMethod.Post, $"/api/v1/payments/{Id(payment):D}/refunds", new JsonObject());
        var problem = await Responses.ProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal("failed", Text(problem, "current"));
    }

    [Fact]
    public async Task Should_refuse_unknown_list_parameters()
    {
        using var response = await _tenant.SendAsync(HttpMethod.Get, "/api/v1/payments?status=paid&colour=red");

        var problem = await Responses.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["colour", "status"], Responses.ErrorKeys(problem).Order(StringComparer.Ordinal).ToList());
    }
}

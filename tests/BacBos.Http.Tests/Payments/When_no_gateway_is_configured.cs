using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Payments;

/// <summary>
/// The embedded default has no Stripe or Paystack keys: a payment is still accepted and recorded exactly (amount,
/// gateway choice, FX conversion with its rate and source), then fails with a "not configured" reason — never a fake
/// success. Idempotency-Key makes a retry answer the same payment.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_no_gateway_is_configured(PaymentsGateway gateway) : IAsyncLifetime
{
    private CrmClient _tenant = null!;

    public async Task InitializeAsync() => _tenant = await gateway.NewTenantAsync("Unconfigured Payments Ltd");

    public Task DisposeAsync()
    {
        _tenant.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JsonElement> PayAsync(JsonObject body, string? key = null)
    {
        using var response = await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", body, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        Assert.Equal($"/api/v1/payments/{JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid():D}", response.Headers.Location?.OriginalString);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_stripe_payment_should_fail_as_not_configured()
    {
        var payment = await PayAsync(new JsonObject { ["amount"] = 10.5m, ["currency"] = "usd", ["gateway"] = "stripe", ["description"] = "Order 42" });

        Assert.Equal("failed", Text(payment, "status"));
        Assert.Contains("Stripe is not configured", Text(payment, "failure_reason"), StringComparison.Ordinal);
        Assert.Equal("10.50", payment.GetProperty("amount").GetProperty("amount").GetRawText());
        Assert.Equal(1050, payment.GetProperty("amount").GetProperty("amount_minor").GetInt64());
        Assert.Equal("USD", payment.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Null(Text(payment, "client_secret"));
        Assert.Equal(JsonValueKind.Null, payment.GetProperty("fx").ValueKind);
    }

    [Theory]
    [InlineData("{\"amount_minor\":1500,\"currency\":\"JPY\"}", "1500", 1500L)]
    [InlineData("{\"amount\":2990,\"currency\":\"CLP\"}", "2990", 2990L)]
    [InlineData("{\"amount\":1.234,\"currency\":\"KWD\"}", "1.234", 1234L)]
    [InlineData("{\"amount_minor\":5,\"currency\":\"KWD\"}", "0.005", 5L)]
    public async Task Amounts_should_be_kept_exactly_in_the_currency_exponent(string body, string amount, long minor)
    {
        var payment = await PayAsync(JsonNode.Parse(body)!.AsObject());

        Assert.Equal("stripe", Text(payment, "gateway"));
        Assert.Equal(amount, payment.GetProperty("amount").GetProperty("amount").GetRawText());
        Assert.Equal(minor, payment.GetProperty("amount").GetProperty("amount_minor").GetInt64());
    }

    [Fact]
    public async Task Auto_should_choose_paystack_for_naira_and_paystack_should_need_an_email()
    {
        using var withoutEmail = await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", new JsonObject { ["amount"] = 5000, ["currency"] = "NGN" });
        Assert.Equal("https://bacbos.dev/problems/customer-email-required", Text(await Responses.ProblemAsync(withoutEmail, HttpStatusCode.UnprocessableEntity), "type"));

        var payment = await PayAsync(new JsonObject { ["amount"] = 5000, ["currency"] = "NGN", ["customer"] = new JsonObject { ["email"] = "Ada@Example.com" } });

        Assert.Equal("paystack", Text(payment, "gateway"));
        Assert.Equal("ada@example.com", payment.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal("failed", Text(payment, "status"));
        Assert.Contains("Paystack is not configured", Text(payment, "failure_reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_currency_the_gateway_cannot_charge_should_be_converted_at_a_recorded_rate()
    {
        var payment = await PayAsync(new JsonObject { ["amount"] = 10m, ["currency"] = "EUR", ["gateway"] = "paystack", ["customer"] = new JsonObject { ["email"] = "eu@example.com" } });

        var fx = payment.GetProperty("fx");
        var rate = fx.GetProperty("rate").GetDecimal();
        Assert.Equal("NGN", payment.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal(decimal.Round(10m * rate, 2, MidpointRounding.AwayFromZero), payment.GetProperty("amount").GetProperty("amount").GetDecimal());
        Assert.Equal(1000, payment.GetProperty("requested").GetProperty("amount_minor").GetInt64());
        Assert.Equal("EUR", payment.GetProperty("requested").GetProperty("currency").GetString());
        Assert.StartsWith("BacBos built-in sample rates", fx.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Contains("converted to NGN", Text(payment, "gateway_reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idempotency_key_should_answer_the_same_payment_and_refuse_another_body()
    {
        var key = "pay-" + Guid.NewGuid().ToString("N");
        var body = new JsonObject { ["amount"] = 7m, ["currency"] = "GBP" };
        var first = await PayAsync(body, key);

        using var again = await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", body, key);
        var replayed = await Responses.JsonAsync(again);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(Id(first), Id(replayed));

        using var other = await _tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", new JsonObject { ["amount"] = 8m, ["currency"] = "GBP" }, key);
        Assert.Equal("https://bacbos.dev/problems/idempotency-key-reused", Text(await Responses.ProblemAsync(other, HttpStatusCode.UnprocessableEntity), "type"));
        var listed = await _tenant.GetAsync("/api/v1/payments?currency=GBP");
        Assert.Equal(1, listed.GetProperty("total").GetInt64());
    }
}

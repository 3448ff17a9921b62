using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Activation.Drivers.Integrations;
using BacBos.Consumers.Payments.Webhooks;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Http.Tests.Payments;

/// <summary>
/// The embedded gateway with no gateway keys (the one-command default): payments are accepted, recorded exactly and
/// fail "not configured"; webhooks are verified with secrets sealed for the test tenant as activation step 7 would.
/// </summary>
public sealed class PaymentsGateway : EmbeddedGatewayFactory
{
    public const string StripeWebhookSecret = "whsec_test_payments_http";

    public async Task<CrmClient> NewTenantAsync(string name)
    {
        var activation = await ActivateSampleAsync($"{name} {Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 60)]);
        return new CrmClient(CreateClientWith(activation.ApiKey), activation);
    }

    /// <summary>Seals a tenant secret (the Stripe webhook secret, the tenant's Paystack key) as step 7 does.</summary>
    public Task SealAsync(Guid tenantId, string name, string value) =>
        Services.GetRequiredService<BacBos.Platform.Security.TenantSecrets>().PutAsync(tenantId, name, value, CancellationToken.None);

    /// <summary>A tenant whose Stripe webhook secret is <see cref="StripeWebhookSecret"/>.</summary>
    public async Task<CrmClient> NewStripeTenantAsync(string name)
    {
        var tenant = await NewTenantAsync(name);
        await SealAsync(tenant.Tenant.TenantId, TenantCredentials.StripeWebhookSecret, StripeWebhookSecret);
        return tenant;
    }

    /// <summary>Posts a raw webhook body with the given headers, anonymously.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string path, string body, params (string Name, string Value)[] headers)
    {
        using var client = CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (headerName, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(headerName, value);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A Stripe event for one of our payment intents, signed with <paramref name="secret"/> at <paramref name="at"/>.</summary>
    public Task<HttpResponseMessage> PostStripeEventAsync(Guid tenantId, string body, string secret = StripeWebhookSecret, DateTimeOffset? at = null) =>
        PostWebhookAsync($"/api/v1/webhooks/stripe/{tenantId:D}", body, ("Stripe-Signature", WebhookSignatures.StripeHeader(Encoding.UTF8.GetBytes(body), secret, at ?? DateTimeOffset.UtcNow)));

    public static string StripeEvent(string eventId, string type, Guid tenantId, Guid paymentId, string intentId = "pi_test_1", string? error = null) =>
        StripeEventOf(eventId, type, new JsonObject
        {
            ["id"] = intentId,
            ["object"] = "payment_intent",
            ["metadata"] = new JsonObject { ["tenant_id"] = tenantId.ToString("D"), ["payment_id"] = paymentId.ToString("D") },
            ["last_payment_error"] = error is null ? null : new JsonObject { ["message"] = error },
        });

    /// <summary>A Stripe event body around <paramref name="dataObject"/> (<c>data.object</c>).</summary>
    public static string StripeEventOf(string eventId, string type, JsonObject dataObject) =>
        new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["type"] = type,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["data"] = new JsonObject { ["object"] = dataObject },
        }.ToJsonString();

    /// <summary>Asserts a webhook's 200 with its disposition (<c>accepted</c>, <c>duplicate</c>, <c>ignored</c>).</summary>
    public static async Task<JsonElement> AckAsync(HttpResponseMessage response, string status)
    {
        var body = await Responses.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, body.GetProperty("status").GetString());
        return body;
    }

    /// <summary>A payment of 10.00 USD through Stripe (which fails "not configured" here).</summary>
    public static async Task<JsonElement> CreateStripePaymentAsync(CrmClient tenant)
    {
        using var response = await tenant.SendAsync(HttpMethod.Post, "/api/v1/payments", new JsonObject { ["amount"] = 10.00m, ["currency"] = "USD", ["gateway"] = "stripe" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The payment once its status satisfies <paramref name="done"/>.</summary>
    public static Task<JsonElement> PaymentWhenAsync(CrmClient tenant, Guid id, Func<JsonElement, bool> done, string what) =>
        Eventually.MatchAsync(() => tenant.GetAsync($"/api/v1/payments/{id:D}"), done, TimeSpan.FromSeconds(20), what);
}

/// <summary>Payment HTTP test classes share one gateway and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PaymentsCollection : ICollectionFixture<PaymentsGateway>
{
    public const string Name = "Payments over the embedded gateway";
}

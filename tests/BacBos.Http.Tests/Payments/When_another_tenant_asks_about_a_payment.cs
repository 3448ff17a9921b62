using System.Net;
using System.Text.Json.Nodes;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Payments;

/// <summary>Tenants see only their own payments: another tenant's id is not found, and lists hold only the caller's.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_another_tenant_asks_about_a_payment(PaymentsGateway gateway)
{
    [Fact]
    public async Task Should_answer_404_and_list_nothing_of_the_owner()
    {
        using var owner = await gateway.NewTenantAsync("Owner Payments Ltd");
        using var other = await gateway.NewTenantAsync("Other Payments Ltd");
        var payment = await PaymentsGateway.CreateStripePaymentAsync(owner);

        await Responses.ProblemAsync(await other.SendAsync(HttpMethod.Get, $"/api/v1/payments/{Id(payment):D}"), HttpStatusCode.NotFound);
        await Responses.ProblemAsync(await other.SendAsync(HttpMethod.Post, $"/api/v1/payments/{Id(payment):D}/refunds", new JsonObject()), HttpStatusCode.NotFound);
        Assert.Equal(0, (await other.GetAsync("/api/v1/payments")).GetProperty("total").GetInt64());
        Assert.Equal(Id(payment), Id(await owner.GetAsync($"/api/v1/payments/{Id(payment):D}")));
    }

    [Fact]
    public async Task The_operator_key_should_not_be_a_tenant()
    {
        using var client = gateway.CreateOperatorClient();

        using var response = await client.GetAsync("/api/v1/payments");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

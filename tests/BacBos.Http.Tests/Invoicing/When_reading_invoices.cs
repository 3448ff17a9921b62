using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Contracts.Payments;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Invoicing;

/// <summary>
/// The embedded default end to end: a won opportunity's draft becomes an open invoice with a payment link, a payment
/// naming it settles it, another payment makes a second invoice; the invoice API reads them (one, its PDF, pages) and
/// another tenant sees none of them (404, empty list).
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_reading_invoices(CrmGateway gateway)
{
    [Fact]
    public async Task A_won_deal_and_payments_should_read_back_as_invoices_only_to_their_tenant()
    {
        var owner = await gateway.NewTenantAsync("Invoice Owner");
        var other = await gateway.NewTenantAsync("Invoice Other");
        var opportunity = Id(await owner.CreateOpportunityAsync(2_500_000m, name: "Cold room install"));
        await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/opportunities/{opportunity:D}/close", new JsonObject { ["outcome"] = "won" });

        var issued = await ListAsync(owner, 1);
        var invoiceId = Id(issued[0]);
        var open = await owner.GetAsync($"/api/v1/invoices/{invoiceId:D}");
        Assert.Equal(("INV-000001", "open", "crm_draft", "NGN"), (Text(open, "number"), Text(open, "status"), Text(open, "origin"), Text(open, "currency")));
        Assert.Equal(("2500000.00", "174418.60"), (open.GetProperty("total").GetRawText(), open.GetProperty("tax").GetRawText()));
        Assert.EndsWith($"/pay/invoices/{invoiceId:D}", Text(open, "payment_link"), StringComparison.Ordinal);
        var line = Assert.Single(open.GetProperty("lines").EnumerateArray());
        Assert.Equal(("Cold room install", "VAT standard"), (Text(line, "description"), Text(line, "tax_name")));

        // The embedded default has no SMTP server: the PDF is stored (local folder), the email is skipped with the reason.
        var delivered = await Eventually.MatchAsync(
            () => owner.GetAsync($"/api/v1/invoices/{invoiceId:D}"), i => i.GetProperty("delivery").GetProperty("pdf_stored").GetBoolean(), TimeSpan.FromSeconds(30), "the stored PDF");
        Assert.StartsWith("skipped: SMTP is not configured", Text(delivered.GetProperty("delivery"), "email_status"), StringComparison.Ordinal);
        using (var pdf = await owner.Http.GetAsync($"/api/v1/invoices/{invoiceId:D}/pdf"))
        {
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..5], StringComparison.Ordinal);
        }

        var bus = gateway.Services.GetRequiredService<IBus>();
        await bus.Publish(new PaymentCompleted(owner.Tenant.TenantId, Guid.NewGuid(), "paystack", "T-SETTLE-1", 250_000_000, "NGN", null, null, null, "Invoice INV-000001", null, null, null, invoiceId, opportunity, DateTimeOffset.UtcNow));
        await bus.Publish(new PaymentCompleted(owner.Tenant.TenantId, Guid.NewGuid(), "stripe", "pi_walk_in", 5_000_00, "NGN", null, null, null, "Walk-in order", null, "Bola", null, null, null, DateTimeOffset.UtcNow));
        await Eventually.MatchAsync(
            () => owner.GetAsync($"/api/v1/invoices/{invoiceId:D}"), i => Text(i, "status") == "paid", TimeSpan.FromSeconds(30), "the settled invoice");
        await ListAsync(owner, 2);

        var firstPage = await owner.GetAsync("/api/v1/invoices?page_size=1&sort=number");
        Assert.Equal((2, "INV-000001"), (firstPage.GetProperty("total").GetInt32(), Items(firstPage, "number")[0]));
        var second = await owner.GetAsync(firstPage.GetProperty("next").GetString()!);
        Assert.Equal(["INV-000002"], Items(second, "number"));
        Assert.Equal(["INV-000002"], Items(await owner.GetAsync("/api/v1/invoices?sort=-number&page_size=1"), "number"));

        // Another tenant: the same ids are not found, its own list is empty.
        await other.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/invoices/{invoiceId:D}");
        await other.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/invoices/{invoiceId:D}/pdf");
        Assert.Equal(0, (await other.GetAsync("/api/v1/invoices")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/invoices?page_size=0", "page_size")]
    [InlineData("/api/v1/invoices?status=lost", "status")]
    [InlineData("/api/v1/invoices?sort=amount", "sort")]
    [InlineData("/api/v1/invoices?colour=red", "colour")]
    public async Task Bad_list_parameters_should_be_named_in_a_400(string path, string parameter)
    {
        var tenant = await gateway.SharedAsync(nameof(When_reading_invoices), () => gateway.NewTenantAsync("Invoice Lister"));

        var problem = await tenant.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, path);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_invoice_should_be_a_404_problem()
    {
        var tenant = await gateway.SharedAsync(nameof(When_reading_invoices), () => gateway.NewTenantAsync("Invoice Lister"));

        var problem = await tenant.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/invoices/{Guid.NewGuid():D}/pdf");

        Assert.Equal("not-found", Text(problem, "type")?.Split('/')[^1]);
    }

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(CrmClient tenant, int count)
    {
        var page = await Eventually.MatchAsync(
            () => tenant.GetAsync("/api/v1/invoices"), p => p.GetProperty("total").GetInt32() >= count, TimeSpan.FromSeconds(30), $"{count} invoice(s)");
        return page.GetProperty("items").EnumerateArray().ToList();
    }
}

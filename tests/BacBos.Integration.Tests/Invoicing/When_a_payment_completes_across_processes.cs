using System.Net;
using System.Text.Json;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Configuration;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>Gateway and worker as OS processes on RabbitMQ + PostgreSQL, with S3 (s3rver) and SMTP (aiosmtpd) configured.</summary>
public sealed class InvoicingSplitSystem : SplitSystem
{
    protected override void ConfigureGateway(IDictionary<string, string> environment) => GatewaySettings(environment);

    /// <summary>The gateway's settings: the test servers, and time for an activation to finish.</summary>
    public static void GatewaySettings(IDictionary<string, string> environment)
    {
        environment["Gateway__ActivationWait"] = "00:00:45";
        Servers(environment);
    }

    protected override void ConfigureWorker(IDictionary<string, string> environment) => Servers(environment);

    /// <summary>The S3 (s3rver) and SMTP (aiosmtpd) settings of <see cref="InvoicingSystem.Configuration"/> as process environment.</summary>
    public static void Servers(IDictionary<string, string> environment)
    {
        foreach (var (key, value) in InvoicingSystem.Configuration().AsEnumerable().Where(p => p.Value is not null))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }
    }
}

/// <summary>
/// The acceptance path of invoicing across processes: PaymentCompleted published on RabbitMQ (twice) → one invoice row
/// in the tenant's PostgreSQL schema → its PDF in the tenant's files bucket on s3rver (served by the gateway) → one
/// email with it attached in the SMTP server's mailbox.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_a_payment_completes_across_processes(InvoicingSplitSystem system) : IClassFixture<InvoicingSplitSystem>
{
    [Fact]
    public async Task A_payment_on_rabbitmq_should_become_one_stored_and_emailed_invoice()
    {
        var (tenantId, client) = await system.ActivateTenantAsync("Invoice Split Foods");
        var email = $"buyer-{Guid.NewGuid():N}@example.com";
        var payment = new PaymentCompleted(
            tenantId, Guid.NewGuid(), "paystack", "T-SPLIT-42", 1_075_000, "NGN", null, null, null, "Weekly veg box subscription", null, "Chidi Okeke", email, null, null, DateTimeOffset.UtcNow);

        var probe = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(system.Vhost.AmqpUri));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await probe.StartAsync(timeout.Token);
        }

        try
        {
            await probe.Publish(payment);
            await probe.Publish(payment);
        }
        finally
        {
            await probe.StopAsync();
        }

        var invoice = await InvoicingSystem.EmailedAsync(() => GetAsync(client, "/api/v1/invoices"), "the invoice, stored and emailed", system.Diagnostics);
        var row = Assert.Single(invoice.GetProperty("items").EnumerateArray());
        Assert.Equal(("INV-000001", "paid", "10750.00", "750.00"), (row.GetProperty("number").GetString(), row.GetProperty("status").GetString(), row.GetProperty("total").GetRawText(), row.GetProperty("tax").GetRawText()));

        var id = row.GetProperty("id").GetGuid();
        var detail = await GetAsync(client, $"/api/v1/invoices/{id:D}");
        var stored = await InvoicingSystem.S3ObjectAsync(tenantId, $"invoices/INV-000001/r1.pdf");
        using var pdf = await client.GetAsync($"/api/v1/invoices/{id:D}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal(stored, await pdf.Content.ReadAsByteArrayAsync());
        Assert.Equal(detail.GetProperty("delivery").GetProperty("pdf_sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)));
        var text = await InvoicingSystem.PdfTextAsync(stored);
        Assert.Contains("Weekly veg box subscription", text, StringComparison.Ordinal);
        Assert.Contains("VAT standard 7.5 % (included) on 10,000.00", text, StringComparison.Ordinal);
        Assert.Contains("paystack T-SPLIT-42", text, StringComparison.Ordinal);

        var mail = Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        Assert.Equal("INV-000001.pdf", Assert.Single(mail.Attachments).ContentDisposition!.FileName);
        Assert.Equal(1, (await GetAsync(client, "/api/v1/invoices")).GetProperty("total").GetInt32());
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

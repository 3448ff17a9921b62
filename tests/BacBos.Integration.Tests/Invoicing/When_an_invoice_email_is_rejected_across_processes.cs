using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BacBos.Contracts.Invoicing;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Infrastructure;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// Gateway and worker as OS processes on RabbitMQ + PostgreSQL with s3rver, the worker's SMTP server a
/// <see cref="RejectingSmtpServer"/> (550 for <c>rejected.invalid</c>), with the retries and redeliveries of
/// <see cref="InvoicingSmtpOutageSystem"/>.
/// </summary>
public sealed class InvoicingRejectingSmtpSystem : SplitSystem, IAsyncLifetime
{
    public RejectingSmtpServer Smtp { get; } = new();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await Smtp.InitializeAsync();
        await InitializeAsync();
    }

    protected override void ConfigureGateway(IDictionary<string, string> environment) => InvoicingSplitSystem.GatewaySettings(environment);

    protected override void ConfigureWorker(IDictionary<string, string> environment) => InvoicingSmtpOutageSystem.WorkerSettings(environment, Smtp.Port);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// An invoice email the SMTP server rejects for good, across processes with the worker's real retry and redelivery
/// policy: the <see cref="DeliverInvoice"/> consume records <c>failed</c> with the server's reason and succeeds, so nothing
/// reaches any <c>_error</c> queue; <c>GET /api/v1/invoices/{id}</c> shows it, and <c>POST …/deliver</c> with
/// <c>resend_email</c> tries again (rejected again, still nothing in <c>_error</c>).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_an_invoice_email_is_rejected_across_processes(InvoicingRejectingSmtpSystem system) : IClassFixture<InvoicingRejectingSmtpSystem>
{
    [Fact]
    public async Task The_rejection_should_be_recorded_and_shown_with_nothing_in_any_error_queue()
    {
        var (tenantId, client) = await system.ActivateTenantAsync("Invoice Rejected Goods");
        var email = $"rosalind-{Guid.NewGuid():N}@{RejectingSmtpServer.RejectedDomain}";
        await When_smtp_is_down_as_a_payment_completes.PublishAsync(system, new PaymentCompleted(
            tenantId, Guid.NewGuid(), "stripe", $"pi_{Guid.NewGuid():N}"[..27], 4800, "GBP", null, null, null, "Garden tools", null, "Rosalind Franklin", email, null, null, DateTimeOffset.UtcNow));

        var page = await Eventually.MatchAsync(
            () => When_smtp_is_down_as_a_payment_completes.GetAsync(client, "/api/v1/invoices"),
            p => p.GetProperty("items").EnumerateArray().Any(i => EmailStatus(i) == "failed"),
            TimeSpan.FromSeconds(90),
            "the invoice's email recorded as failed",
            p => p.ToString(),
            system.Diagnostics);
        var id = Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();
        var invoice = await When_smtp_is_down_as_a_payment_completes.GetAsync(client, $"/api/v1/invoices/{id:D}");
        var delivery = invoice.GetProperty("delivery");
        Assert.Equal(("failed", $"550 5.1.1 <{email}>: mailbox unavailable", true), (EmailStatus(invoice), delivery.GetProperty("email_failure").GetString(), delivery.GetProperty("pdf_stored").GetBoolean()));
        await AssertNoErrorsAsync();

        // The operator asks again: the same address is tried once more, rejected again, and recorded again.
        using (var response = await client.PostAsJsonAsync($"/api/v1/invoices/{id:D}/deliver", new { resend_email = true }))
        {
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal((true, "resend requested"), (accepted.GetProperty("queued").GetBoolean(), EmailStatus(accepted)));
        }

        await Eventually.MatchAsync(
            () => When_smtp_is_down_as_a_payment_completes.GetAsync(client, $"/api/v1/invoices/{id:D}"),
            i => EmailStatus(i) == "failed",
            TimeSpan.FromSeconds(90),
            "the resend recorded as failed",
            i => i.ToString(),
            system.Diagnostics);
        await AssertNoErrorsAsync();
        Assert.Empty(InvoicingSystem.Mailbox(email));
    }

    private static string? EmailStatus(JsonElement invoice) => invoice.GetProperty("delivery").GetProperty("email_status").GetString();

    private async Task AssertNoErrorsAsync() =>
        Assert.All(await system.Vhost.ErrorQueuesAsync(), q => Assert.True(q.Value == 0, $"{q.Value} message(s) in {q.Key}"));
}

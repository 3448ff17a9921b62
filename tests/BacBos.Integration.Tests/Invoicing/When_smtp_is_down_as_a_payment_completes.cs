using System.Net;
using System.Text.Json;
using BacBos.Contracts.Invoicing;
using BacBos.Contracts.Payments;
using BacBos.Integration.Tests.Infrastructure;
using MassTransit;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// Gateway and worker as OS processes on RabbitMQ + PostgreSQL with s3rver, the worker's SMTP server behind a
/// <see cref="SmtpRelay"/> that refuses connections (SMTP down), and short retry and redelivery intervals.
/// </summary>
public sealed class InvoicingSmtpOutageSystem : SplitSystem
{
    public SmtpRelay Smtp { get; } = new();

    /// <summary>The worker's <c>_error</c> queue of the invoicing endpoint.</summary>
    public const string ErrorQueue = "bacbos-invoicing_error";

    /// <summary>The redeliveries configured (after the immediate retries), each 200 ms.</summary>
    public const int Redeliveries = 2;

    protected override void ConfigureGateway(IDictionary<string, string> environment) => InvoicingSplitSystem.GatewaySettings(environment);

    protected override void ConfigureWorker(IDictionary<string, string> environment) => WorkerSettings(environment, Smtp.Port);

    /// <summary>The worker's settings: the test servers, SMTP on <paramref name="smtpPort"/>, one quick retry and <see cref="Redeliveries"/> redeliveries 200 ms apart.</summary>
    public static void WorkerSettings(IDictionary<string, string> environment, int smtpPort)
    {
        InvoicingSplitSystem.Servers(environment);
        environment["Invoicing__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Bus__RetryIntervalsMs__0"] = "10";
        for (var i = 0; i < Redeliveries; i++)
        {
            environment[$"Bus__RedeliveryIntervalsMs__{i}"] = "200";
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// Delivery is a step of its own: with SMTP down, a PaymentCompleted on RabbitMQ is consumed successfully (its invoice
/// recorded and its PDF stored; nothing of it in any <c>_error</c> queue), while the <see cref="DeliverInvoice"/> it
/// queued is retried, redelivered and ends in <c>_error</c>. With SMTP back, <c>POST /api/v1/invoices/{id}/deliver</c>
/// emails it, exactly once.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class When_smtp_is_down_as_a_payment_completes(InvoicingSmtpOutageSystem system) : IClassFixture<InvoicingSmtpOutageSystem>
{
    private static readonly string DeliverInvoiceType = MessageUrn.ForTypeString<DeliverInvoice>();

    [Fact]
    public async Task The_payment_should_be_recorded_and_only_its_delivery_should_fail_until_smtp_is_back()
    {
        var (tenantId, client) = await system.ActivateTenantAsync("Invoice Outage Goods");
        var email = $"outage-{Guid.NewGuid():N}@example.com";
        var payment = new PaymentCompleted(
            tenantId, Guid.NewGuid(), "stripe", $"pi_{Guid.NewGuid():N}"[..27], 4800, "GBP", null, null, null, "Garden tools", null, "Rosalind Franklin", email, null, null, DateTimeOffset.UtcNow);
        await PublishAsync(system, payment);

        // The delivery gives up: after its immediate retries and every redelivery, the DeliverInvoice alone is in _error.
        var failed = await Eventually.MatchAsync(
            ErrorMessagesAsync,
            messages => messages.Count > 0,
            TimeSpan.FromSeconds(90),
            "the DeliverInvoice in the invoicing _error queue",
            messages => string.Join(", ", messages),
            system.Diagnostics);
        Assert.Equal(new[] { (DeliverInvoiceType, (int?)InvoicingSmtpOutageSystem.Redeliveries) }, failed);
        var errors = await system.Vhost.ErrorQueuesAsync();
        Assert.All(errors, q => Assert.True(q.Value == (q.Key == InvoicingSmtpOutageSystem.ErrorQueue ? 1u : 0u), $"{q.Value} message(s) in {q.Key}"));

        // The invoice was recorded (and its PDF stored) by the PaymentCompleted consume, which did not fail.
        var page = await GetAsync(client, "/api/v1/invoices");
        var row = Assert.Single(page.GetProperty("items").EnumerateArray());
        var delivery = row.GetProperty("delivery");
        Assert.Equal(("INV-000001", "paid", true, JsonValueKind.Null), (row.GetProperty("number").GetString(), row.GetProperty("status").GetString(), delivery.GetProperty("pdf_stored").GetBoolean(), delivery.GetProperty("email_status").ValueKind));
        Assert.Empty(InvoicingSystem.Mailbox(email));

        // SMTP is back: a delivery request emails the invoice once.
        system.Smtp.Open();
        var id = row.GetProperty("id").GetGuid();
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/invoices/{id:D}/deliver"))
        {
            request.Headers.Add("Idempotency-Key", $"outage-{id:N}");
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("queued").GetBoolean());
        }

        await InvoicingSystem.EmailedAsync(() => GetAsync(client, "/api/v1/invoices"), "the invoice emailed after SMTP came back", system.Diagnostics);
        var mail = Assert.Single(await InvoicingSystem.MailAsync(email, 1));
        Assert.Equal("INV-000001.pdf", Assert.Single(mail.Attachments).ContentDisposition!.FileName);
        Assert.Single(InvoicingSystem.Mailbox(email));
        Assert.Equal(failed, await ErrorMessagesAsync());
    }

    /// <summary>The messages in the invoicing _error queue (none before MassTransit declares it with the first fault).</summary>
    private async Task<IReadOnlyList<(string MessageType, int? Redeliveries)>> ErrorMessagesAsync() =>
        (await system.Vhost.QueueNamesAsync()).Contains(InvoicingSmtpOutageSystem.ErrorQueue) ? await system.Vhost.PeekAsync(InvoicingSmtpOutageSystem.ErrorQueue) : [];

    /// <summary>Publishes <paramref name="payment"/> on the system's RabbitMQ virtual host, as the payments side would.</summary>
    internal static async Task PublishAsync(SplitSystem system, PaymentCompleted payment)
    {
        var probe = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(system.Vhost.AmqpUri));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await probe.StartAsync(timeout.Token);
        }

        try
        {
            await probe.Publish(payment);
        }
        finally
        {
            await probe.StopAsync();
        }
    }

    internal static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

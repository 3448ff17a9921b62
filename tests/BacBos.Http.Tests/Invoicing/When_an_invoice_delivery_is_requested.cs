using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacBos.Consumers.Invoicing;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Contracts.Payments;
using BacBos.Http.Tests.Crm;
using BacBos.Http.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using static BacBos.Http.Tests.Crm.CrmJson;

namespace BacBos.Http.Tests.Invoicing;

/// <summary>
/// <c>POST /api/v1/invoices/{id}/deliver</c> and the delivery sweeper on the embedded default (SQLite, in-memory bus):
/// a document whose delivery gave up (its PDF and email records rolled back in the tenant's file, as a delivery that
/// failed after every redelivery leaves them) is stored and its email recorded again, by request or by the sweeper; a
/// document already delivered is left alone; another tenant's id, an unknown id and a missing key are refused.
/// </summary>
[Collection(CrmCollection.Name)]
public sealed class When_an_invoice_delivery_is_requested(CrmGateway gateway)
{
    [Fact]
    public async Task A_delivered_invoice_should_not_be_queued_again_and_a_stalled_one_should_be_delivered()
    {
        var tenant = await gateway.NewTenantAsync("Invoice Redelivery");
        var invoiceId = await DeliveredInvoiceAsync(tenant);

        var done = await tenant.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/invoices/{invoiceId:D}/deliver");
        Assert.Equal((invoiceId, false, true), (Id(done), done.GetProperty("queued").GetBoolean(), done.GetProperty("delivery").GetProperty("pdf_stored").GetBoolean()));

        await StallAsync(tenant, invoiceId);
        var queued = await tenant.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/invoices/{invoiceId:D}/deliver");
        Assert.Equal((true, false), (queued.GetProperty("queued").GetBoolean(), queued.GetProperty("delivery").GetProperty("pdf_stored").GetBoolean()));
        Assert.Null(queued.GetProperty("delivery").GetProperty("email_status").GetString());
        await DeliveredAsync(tenant, invoiceId);
    }

    [Fact]
    public async Task A_resend_should_be_queued_once_per_idempotency_key()
    {
        var tenant = await gateway.NewTenantAsync("Invoice Resend");
        var invoiceId = await DeliveredInvoiceAsync(tenant);
        var path = $"/api/v1/invoices/{invoiceId:D}/deliver";

        var resend = await tenant.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, path, new JsonObject { ["resend_email"] = true }, "resend-once");
        Assert.Equal((true, "resend requested"), (resend.GetProperty("queued").GetBoolean(), Text(resend.GetProperty("delivery"), "email_status")));
        using (var replay = await tenant.SendAsync(HttpMethod.Post, path, new JsonObject { ["resend_email"] = true }, "resend-once"))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        }

        var reused = await tenant.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, path, new JsonObject { ["resend_email"] = false }, "resend-once");
        Assert.Equal("idempotency-key-reused", Text(reused, "type")?.Split('/')[^1]);
        await DeliveredAsync(tenant, invoiceId);
    }

    [Fact]
    public async Task A_bad_body_should_be_a_precise_problem()
    {
        var tenant = await gateway.SharedAsync(nameof(When_an_invoice_delivery_is_requested), () => gateway.NewTenantAsync("Invoice Deliver Bodies"));
        var path = $"/api/v1/invoices/{Guid.NewGuid():D}/deliver";

        using var text = await tenant.Http.PostAsync(path, new StringContent("resend", System.Text.Encoding.UTF8, "text/plain"));
        var malformed = await tenant.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, new JsonObject { ["resend_email"] = "yes" });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("malformed-json", Text(malformed, "type")?.Split('/')[^1]);
    }

    [Fact]
    public async Task The_sweeper_should_deliver_a_stalled_invoice_on_sqlite()
    {
        var tenant = await gateway.NewTenantAsync("Invoice Sweep");
        var invoiceId = await DeliveredInvoiceAsync(tenant);
        await StallAsync(tenant, invoiceId);

        Assert.True(await gateway.Services.GetRequiredService<InvoiceDeliverySweeper>().SweepAsync(CancellationToken.None) >= 1);

        // Delivered: the sweep's attempt is cleared with it.
        var delivered = await DeliveredAsync(tenant, invoiceId);
        Assert.Equal(0, delivered.GetProperty("delivery").GetProperty("sweep_attempts").GetInt32());
    }

    [Fact]
    public async Task The_sweeper_should_give_up_after_its_attempts_on_sqlite_and_a_request_should_start_over()
    {
        var tenant = await gateway.NewTenantAsync("Invoice Sweep Limit");
        var invoiceId = await DeliveredInvoiceAsync(tenant);
        var options = gateway.Services.GetRequiredService<InvoicingOptions>();
        await StallAsync(tenant, invoiceId);
        await SetAsync(tenant, invoiceId, "sweep_attempts = @attempts, next_sweep_at = @next", ("attempts", options.SweepMaxAttempts), ("next", DateTimeOffset.UtcNow.AddHours(-1).ToString("O")));

        // Every attempt made and the last one's back-off passed: given up, not queued.
        await gateway.Services.GetRequiredService<InvoiceDeliverySweeper>().SweepAsync(CancellationToken.None);
        var given = await tenant.GetAsync($"/api/v1/invoices/{invoiceId:D}");
        Assert.Equal((options.SweepMaxAttempts, false), (given.GetProperty("delivery").GetProperty("sweep_attempts").GetInt32(), given.GetProperty("delivery").GetProperty("pdf_stored").GetBoolean()));
        Assert.Equal(DBNull.Value, await ScalarAsync(tenant, invoiceId, "next_sweep_at"));

        var queued = await tenant.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/invoices/{invoiceId:D}/deliver");
        Assert.Equal((true, 0), (queued.GetProperty("queued").GetBoolean(), queued.GetProperty("delivery").GetProperty("sweep_attempts").GetInt32()));
        await DeliveredAsync(tenant, invoiceId);
    }

    [Fact]
    public async Task A_failed_email_should_show_its_reason_stay_unswept_and_be_tried_again_on_request()
    {
        var tenant = await gateway.NewTenantAsync("Invoice Email Failed");
        var invoiceId = await DeliveredInvoiceAsync(tenant);
        const string Reason = "550 5.1.1 <bola@example.com>: mailbox unavailable";
        var failedAt = DateTimeOffset.UtcNow.AddDays(-1);
        await SetAsync(
            tenant,
            invoiceId,
            "email_status = 'failed', email_failure = @reason, email_failed_at = @at, updated_at = @at",
            ("reason", Reason), ("at", failedAt.ToString("O")));

        await gateway.Services.GetRequiredService<InvoiceDeliverySweeper>().SweepAsync(CancellationToken.None);
        var failed = (await tenant.GetAsync($"/api/v1/invoices/{invoiceId:D}")).GetProperty("delivery");
        Assert.Equal(("failed", Reason, true, 0), (Text(failed, "email_status"), Text(failed, "email_failure"), failed.GetProperty("pdf_stored").GetBoolean(), failed.GetProperty("sweep_attempts").GetInt32()));
        Assert.Equal(failedAt, failed.GetProperty("email_failed_at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));

        // Asked again (no body): the email is tried again, and its new outcome replaces the failure.
        var queued = await tenant.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"/api/v1/invoices/{invoiceId:D}/deliver");
        Assert.Equal((true, "resend requested"), (queued.GetProperty("queued").GetBoolean(), Text(queued.GetProperty("delivery"), "email_status")));
        var delivered = (await DeliveredAsync(tenant, invoiceId)).GetProperty("delivery");
        Assert.Null(Text(delivered, "email_failure"));
    }

    [Fact]
    public async Task Another_tenants_invoice_an_unknown_id_and_a_missing_key_should_be_refused()
    {
        var owner = await gateway.NewTenantAsync("Invoice Deliver Owner");
        var other = await gateway.NewTenantAsync("Invoice Deliver Other");
        var invoiceId = await DeliveredInvoiceAsync(owner);

        var foreign = await other.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/v1/invoices/{invoiceId:D}/deliver");
        var unknown = await owner.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/v1/invoices/{Guid.NewGuid():D}/deliver");
        using var anonymous = gateway.CreateClient();
        using var noKey = await anonymous.PostAsync($"/api/v1/invoices/{invoiceId:D}/deliver", null);

        Assert.Equal(["not-found", "not-found"], new[] { foreign, unknown }.Select(p => Text(p, "type")?.Split('/')[^1]));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A paid invoice from a completed payment, once its PDF is stored and its email recorded (skipped: no SMTP here).</summary>
    private async Task<Guid> DeliveredInvoiceAsync(CrmClient tenant)
    {
        var bus = gateway.Services.GetRequiredService<IBus>();
        await bus.Publish(new PaymentCompleted(
            tenant.Tenant.TenantId, Guid.NewGuid(), "paystack", "T-DELIVER-1", 1_000_000, "NGN", null, null, null, "Delivery check", null, "Bola", "bola@example.com", null, null, DateTimeOffset.UtcNow));
        var page = await Eventually.MatchAsync(
            () => tenant.GetAsync("/api/v1/invoices"),
            p => p.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("delivery").GetProperty("email_status").GetString() is not null),
            TimeSpan.FromSeconds(30),
            "the delivered invoice");
        return Id(Assert.Single(page.GetProperty("items").EnumerateArray()));
    }

    /// <summary>What a delivery that gave up leaves: nothing recorded for the current revision, last changed long ago.</summary>
    private Task StallAsync(CrmClient tenant, Guid invoiceId) =>
        SetAsync(tenant, invoiceId, "pdf_stored_revision = 0, emailed_revision = 0, email_status = NULL, updated_at = @old", ("old", DateTimeOffset.UtcNow.AddDays(-1).ToString("O")));

    /// <summary>Writes the document's row in the tenant's file directly (what a delivery or the sweeper would have left).</summary>
    private async Task SetAsync(CrmClient tenant, Guid invoiceId, string set, params (string Name, object Value)[] parameters)
    {
        await using var connection = await gateway.OpenTenantDatabaseAsync(tenant.Tenant.TenantId);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE invoices SET {set} WHERE id = @id";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.Parameters.AddWithValue("id", invoiceId.ToString("D"));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>One column of the document's row (<see cref="DBNull"/> when NULL).</summary>
    private async Task<object?> ScalarAsync(CrmClient tenant, Guid invoiceId, string column)
    {
        await using var connection = await gateway.OpenTenantDatabaseAsync(tenant.Tenant.TenantId);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM invoices WHERE id = @id";
        command.Parameters.AddWithValue("id", invoiceId.ToString("D"));
        return await command.ExecuteScalarAsync();
    }

    private static Task<JsonElement> DeliveredAsync(CrmClient tenant, Guid invoiceId) =>
        Eventually.MatchAsync(
            () => tenant.GetAsync($"/api/v1/invoices/{invoiceId:D}"),
            i => i.GetProperty("delivery").GetProperty("pdf_stored").GetBoolean() && Text(i.GetProperty("delivery"), "email_status") is { } status && status.StartsWith("skipped: SMTP", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the invoice delivered again");
}

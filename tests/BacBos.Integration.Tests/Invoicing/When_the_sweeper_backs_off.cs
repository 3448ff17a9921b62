using System.Net.Sockets;
using BacBos.Consumers.Invoicing;
using BacBos.Consumers.Invoicing.Delivery;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Integration.Tests.Infrastructure;
using BacBos.Integration.Tests.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// The delivery sweeper on PostgreSQL with a clock the test sets, while SMTP stays down (a closed port): each sweep that
/// queues the invoice counts an attempt and waits <c>SweepAfter × 2^attempts</c> (at most <c>SweepMaxBackoff</c>) before
/// the next; after <c>SweepMaxAttempts</c> it is given up; an operator's delivery request starts the count again.
/// </summary>
public sealed class When_the_sweeper_backs_off(InvoicingSystem system) : IClassFixture<InvoicingSystem>
{
    [Fact]
    public async Task It_should_queue_a_stalled_invoice_at_growing_intervals_until_the_limit_and_again_on_request()
    {
        var options = system.Get<InvoicingOptions>();
        options.Smtp.Port = SmtpRelay.ClosedPort();
        var tenantId = await system.NewTenantAsync();
        Assert.Null(await system.DeliverAsync(When_an_invoice_email_is_rejected_for_good.Payment(tenantId, null, $"ida-{Guid.NewGuid():N}@example.com")));
        Assert.IsAssignableFrom<SocketException>(Assert.Single(await system.DeliverQueuedAsync()));
        var invoice = await InvoiceAsync(tenantId);

        var clock = new ManualClock(invoice.UpdatedAt + TimeSpan.FromMinutes(1));
        var provider = system.Get<IServiceProvider>();
        var store = ActivatorUtilities.CreateInstance<InvoiceStore>(provider, clock);
        var sweeper = ActivatorUtilities.CreateInstance<InvoiceDeliverySweeper>(provider, store, clock);

        // Changed less than SweepAfter ago: not yet.
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        clock.Now = invoice.UpdatedAt + options.SweepAfter + TimeSpan.FromSeconds(1);
        for (var attempt = 1; attempt <= options.SweepMaxAttempts; attempt++)
        {
            Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));
            Assert.IsAssignableFrom<SocketException>(Assert.Single(await system.DeliverQueuedAsync()));
            invoice = await InvoiceAsync(tenantId);
            var backoff = TimeSpan.FromTicks(Math.Min(options.SweepAfter.Ticks << attempt, options.SweepMaxBackoff.Ticks));
            Assert.Equal(attempt, invoice.SweepAttempts);
            Assert.InRange(invoice.NextSweepAt!.Value - clock.Now, backoff - TimeSpan.FromMilliseconds(1), backoff);

            // Before the back-off has passed, nothing; once it has, the next attempt.
            clock.Now = invoice.NextSweepAt.Value - TimeSpan.FromSeconds(1);
            Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
            clock.Now = invoice.NextSweepAt.Value;
        }

        // The last attempt's back-off has passed: given up (once), and left alone from then on.
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        invoice = await InvoiceAsync(tenantId);
        Assert.Equal((options.SweepMaxAttempts, (DateTimeOffset?)null), (invoice.SweepAttempts, invoice.NextSweepAt));
        clock.Now += TimeSpan.FromDays(30);
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await system.PublishOutboxAsync());

        // The operator asks again: queued, and the count starts over.
        var request = await store.RequestDeliveryAsync(tenantId, invoice.Id, resendEmail: false, null, CancellationToken.None);
        Assert.Equal((true, 0), (request.Value!.Queued, request.Value.Invoice.SweepAttempts));
        Assert.IsAssignableFrom<SocketException>(Assert.Single(await system.DeliverQueuedAsync()));
        clock.Now += options.SweepAfter + TimeSpan.FromSeconds(1);
        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(1, (await InvoiceAsync(tenantId)).SweepAttempts);

        // SMTP is back: delivered, and the bookkeeping is cleared.
        options.Smtp.Port = int.Parse(TestEnvironment.Smtp.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        await system.AssertDeliveredAsync(1);
        invoice = await InvoiceAsync(tenantId);
        Assert.Equal(("sent", 0, (DateTimeOffset?)null), (invoice.EmailStatus, invoice.SweepAttempts, invoice.NextSweepAt));
    }

    private async Task<InvoiceRow> InvoiceAsync(Guid tenantId) => Assert.Single(await system.DocumentsAsync(tenantId));
}

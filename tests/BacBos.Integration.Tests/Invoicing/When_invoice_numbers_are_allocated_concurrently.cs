using BacBos.Consumers.Crm.Storage;
using BacBos.Consumers.Invoicing.Tax;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>The gapless series on PostgreSQL under concurrent writers, some of which roll back.</summary>
public sealed class When_invoice_numbers_are_allocated_concurrently(InvoicingSystem system) : IClassFixture<InvoicingSystem>
{
    [Fact]
    public async Task Committed_numbers_should_run_from_one_without_a_gap_or_a_repeat()
    {
        var tenantId = await system.NewTenantAsync();
        var storage = system.Get<CrmStorage>();
        using var start = new SemaphoreSlim(0);

        // 60 writers at once; every third one rolls its transaction back after taking a number (a failed invoice).
        var writers = Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            var result = await storage.WriteAsync(tenantId, async s =>
            {
                var number = await InvoiceNumbers.NextAsync(s, InvoiceNumbers.Invoices, CancellationToken.None);
                await s.ExecuteAsync($"INSERT INTO {s.Table("settings")} (key, value) VALUES (@k, @v)", CancellationToken.None, ($"k", $"it-number-{number}"), ("v", $"{i}"));
                return i % 3 == 0 ? CrmResult<long>.Unprocessable("rolled-back", "abandoned") : CrmResult<long>.Ok(number);
            }, CancellationToken.None);
            return result.Status == CrmStatus.Ok ? result.Value : (long?)null;
        })).ToList();
        start.Release(writers.Count);
        var committed = (await Task.WhenAll(writers)).OfType<long>().Order().ToList();

        Assert.Equal(40, committed.Count);
        Assert.Equal(Enumerable.Range(1, 40).Select(n => (long)n), committed);

        // The next number continues the series.
        var next = await storage.WriteAsync(tenantId, async s => CrmResult<long>.Ok(await InvoiceNumbers.NextAsync(s, InvoiceNumbers.Invoices, CancellationToken.None)), CancellationToken.None);
        Assert.Equal(41, next.Value);
    }

    [Fact]
    public async Task Invoices_and_credit_notes_should_have_series_of_their_own()
    {
        var tenantId = await system.NewTenantAsync();
        var storage = system.Get<CrmStorage>();

        var result = await storage.WriteAsync(tenantId, async s => CrmResult<long[]>.Ok(
        [
            await InvoiceNumbers.NextAsync(s, InvoiceNumbers.Invoices, CancellationToken.None),
            await InvoiceNumbers.NextAsync(s, InvoiceNumbers.CreditNotes, CancellationToken.None),
            await InvoiceNumbers.NextAsync(s, InvoiceNumbers.Invoices, CancellationToken.None),
        ]), CancellationToken.None);

        Assert.Equal([1L, 1L, 2L], result.Value!);
    }
}

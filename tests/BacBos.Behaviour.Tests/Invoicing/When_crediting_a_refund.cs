using BacBos.Consumers.Invoicing.Storage;
using BacBos.Consumers.Invoicing.Tax;

namespace BacBos.Behaviour.Tests.Invoicing;

/// <summary>A credit note's lines and tax for a full or partial refund of an invoice with several rates.</summary>
public class When_crediting_a_refund
{
    private static readonly DateOnly Day = new(2026, 11, 25);

    /// <summary>INV-000007: 24.00 gross at 20 % (20.00 + 4.00), 10.50 at 5 % (10.00 + 0.50), 5.00 untaxed — 39.50 in all.</summary>
    private static InvoiceDocument Invoice(string currency = "GBP") => new(
        new InvoiceRow(
            Guid.NewGuid(), InvoiceKinds.Invoice, "INV-000007", InvoiceKinds.Paid, InvoiceKinds.FromPayment, Day, currency, "Ada", "ada@example.com", null, null,
            3500, 450, 3950, null, null, Guid.NewGuid(), "stripe", "pi_1", 3950, 3950, currency, null, DateTimeOffset.UnixEpoch, null, null, null,
            1, null, null, 0, null, 0, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
        [],
        [
            new TaxBreakdown(1, "gb-std", "vat", "VAT standard", 20m, false, 2000, 400),
            new TaxBreakdown(2, "gb-red", "vat", "VAT reduced", 5m, false, 1000, 50),
        ]);

    [Fact]
    public void Should_credit_a_full_refund_with_the_invoice_own_net_and_tax()
    {
        var credit = CreditNotes.Calculate(Invoice(), 3950, Day);

        Assert.Equal((3500L, 450L, 3950L), (credit.NetMinor, credit.TaxMinor, credit.TotalMinor));
        Assert.Equal([(2000L, 400L), (1000L, 50L)], credit.Taxes.Select(t => (t.NetMinor, t.TaxMinor)).ToList());
        Assert.Equal([2400L, 1050L, 500L], credit.Lines.Select(l => l.AmountMinor).ToList());
        Assert.All(credit.Lines, l => Assert.StartsWith("Credit for invoice INV-000007", l.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_spread_a_partial_refund_over_the_rates_in_proportion_and_keep_every_minor_unit()
    {
        var credit = CreditNotes.Calculate(Invoice(), 1000, Day);

        // 10.00 of 39.50: 24/39.5 → 6.07, 10.5/39.5 → 2.65, the untaxed rest 1.28; tax extracted at each rate.
        Assert.Equal([607L, 265L, 128L], credit.Lines.Select(l => l.AmountMinor).ToList());
        Assert.Equal([(506L, 101L), (252L, 13L)], credit.Taxes.Select(t => (t.NetMinor, t.TaxMinor)).ToList());
        Assert.Equal(1000, credit.TotalMinor);
        Assert.Equal(credit.NetMinor + credit.TaxMinor, credit.TotalMinor);
    }

    [Fact]
    public void Should_credit_zero_decimal_currencies_in_whole_units()
    {
        var credit = CreditNotes.Calculate(Invoice("JPY"), 7, Day);

        Assert.Equal(7, credit.Lines.Sum(l => l.AmountMinor));
        Assert.Equal(7, credit.TotalMinor);
    }

    [Theory]
    [InlineData(3950L, InvoiceKinds.Refunded)]
    [InlineData(1000L, InvoiceKinds.PartiallyRefunded)]
    [InlineData(0L, InvoiceKinds.Paid)]
    public void The_invoice_status_should_follow_the_credit_notes_still_standing(long credited, string status) =>
        Assert.Equal(status, CreditNotes.InvoiceStatus(Invoice().Invoice, credited));

    [Fact]
    public void An_invoice_paid_in_part_should_go_back_to_partially_paid_when_no_credit_stands()
    {
        var invoice = Invoice().Invoice with { PaidMinor = 2000 };

        Assert.Equal(InvoiceKinds.PartiallyPaid, CreditNotes.InvoiceStatus(invoice, 0));
        Assert.Equal(InvoiceKinds.PartiallyRefunded, CreditNotes.InvoiceStatus(invoice, 500));
    }
}

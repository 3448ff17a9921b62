using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Invoicing.Storage;

namespace BacBos.Consumers.Invoicing.Tax;

/// <summary>
/// A credit note's lines and tax: the credited amount (gross, in the invoice's currency) is spread over the invoice's
/// tax groups in proportion to their gross amounts — the last group takes the rounding remainder — and each share's
/// tax is extracted at the group's rate. A share equal to its whole group (a full refund) credits the invoice's own
/// net and tax, so a fully credited invoice nets to exactly zero.
/// </summary>
public static class CreditNotes
{
    /// <summary>
    /// An invoice's status from what its standing (not void) credit notes credit: <c>refunded</c> when they add up to its
    /// total, <c>partially_refunded</c> when they credit some of it, else back to <c>paid</c> (or <c>partially_paid</c> when
    /// its payment covered less than the total).
    /// </summary>
    public static string InvoiceStatus(InvoiceRow invoice, long creditedMinor) =>
        creditedMinor >= invoice.TotalMinor ? InvoiceKinds.Refunded
        : creditedMinor > 0 ? InvoiceKinds.PartiallyRefunded
        : invoice.PaidMinor is { } paid && paid < invoice.TotalMinor ? InvoiceKinds.PartiallyPaid
        : InvoiceKinds.Paid;

    public static InvoiceCalculation Calculate(InvoiceDocument invoice, long amountMinor, DateOnly date)
    {
        var row = invoice.Invoice;
        var groups = invoice.Taxes.Select(t => (Tax: (TaxBreakdown?)t, Gross: t.NetMinor + t.TaxMinor)).ToList();
        var untaxed = row.TotalMinor - groups.Sum(g => g.Gross);
        if (untaxed != 0 || groups.Count == 0)
        {
            groups.Add((null, untaxed));
        }

        var lines = new List<TaxedLine>();
        var taxes = new List<TaxBreakdown>();
        long allocated = 0, net = 0, tax = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            var (group, gross) = groups[i];
            var share = i == groups.Count - 1 ? amountMinor - allocated : row.TotalMinor == 0 ? 0 : (long)Math.Floor((decimal)amountMinor * gross / row.TotalMinor);
            allocated += share;
            var (shareNet, shareTax) = share == gross && group is not null
                ? (group.NetMinor, group.TaxMinor)
                : Extract(share, row.Currency, group?.RatePercent);
            net += shareNet;
            tax += shareTax;
            var rate = group is null ? null : new TaxRate(group.RateId ?? string.Empty, string.Empty, null, group.TaxType, group.Name, group.RatePercent, date, null, true);
            var label = groups.Count == 1 ? string.Empty : group is null ? " (untaxed)" : $" ({group.Name} {group.RatePercent:0.###} %)";
            lines.Add(new TaxedLine(i + 1, $"Credit for invoice {row.Number}{label}", 1m, Money.FromMinor(share, row.Currency), share, rate, true));
            if (group is not null)
            {
                taxes.Add(group with { Position = taxes.Count + 1, Inclusive = true, NetMinor = shareNet, TaxMinor = shareTax });
            }
        }

        return new InvoiceCalculation(row.Currency, date, lines, taxes, net, tax, net + tax, row.TaxNote);
    }

    private static (long Net, long Tax) Extract(long grossMinor, string currency, decimal? ratePercent)
    {
        var amounts = InvoiceTax.Compute(Money.FromMinor(grossMinor, currency), currency, ratePercent, inclusive: true);
        return (Money.ToMinor(amounts.Net, currency), Money.ToMinor(amounts.Tax, currency));
    }
}

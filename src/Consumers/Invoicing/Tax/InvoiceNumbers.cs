using System.Globalization;
using BacBos.Consumers.Crm.Storage;

namespace BacBos.Consumers.Invoicing.Tax;

/// <summary>
/// Gapless per-tenant number series: <c>INV-000001</c>, <c>INV-000002</c>, … for invoices and <c>CN-000001</c>, … for
/// credit notes. A number is taken by an upsert on the series row inside the transaction that writes the document: the
/// row lock makes concurrent writers take turns (PostgreSQL waits on the row; SQLite's writer holds the file), and a
/// rolled-back document gives its number back with the rollback, so no number is skipped or used twice.
/// </summary>
public static class InvoiceNumbers
{
    public const string Invoices = "invoice";
    public const string CreditNotes = "credit_note";

    public static string Prefix(string series) => series switch
    {
        Invoices => "INV",
        CreditNotes => "CN",
        _ => throw new ArgumentOutOfRangeException(nameof(series), series, "unknown number series"),
    };

    public static string Format(string series, long sequence) => $"{Prefix(series)}-{sequence.ToString("D6", CultureInfo.InvariantCulture)}";

    /// <summary>Takes the next number of <paramref name="series"/> in the session's transaction.</summary>
    public static async Task<long> NextAsync(CrmSession s, string series, CancellationToken cancellationToken)
    {
        Prefix(series);
        var value = await s.Db.ScalarAsync(
            $"INSERT INTO {s.Table("invoice_number_series")} AS n (series, next_value) VALUES (@s, 2) " +
            "ON CONFLICT (series) DO UPDATE SET next_value = n.next_value + 1 RETURNING next_value - 1",
            cancellationToken,
            ("s", series));
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Invoicing.Storage;
using BacBos.Consumers.Rendering;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BacBos.Consumers.Invoicing.Rendering;

/// <summary>
/// An invoice or credit note as an A4 PDF (PDFsharp, DejaVu Sans): the seller, the document number and dates, the
/// customer, the lines (descriptions wrap; the table continues on new pages with its header repeated), the tax
/// breakdown per rate, the totals, and the payment reference (or the payment link of an open invoice).
/// </summary>
public static class InvoicePdf
{
    private const double Margin = 50;
    private static readonly XFont Title = new("DejaVu Sans", 18, XFontStyleEx.Bold);
    private static readonly XFont Bold = new("DejaVu Sans", 9.5, XFontStyleEx.Bold);
    private static readonly XFont Body = new("DejaVu Sans", 9.5, XFontStyleEx.Regular);

    /// <summary>Column left edges and widths of the lines table: description, quantity, unit price, tax, amount.</summary>
    private static readonly (double X, double Width)[] Cols = [(0, 235), (235, 50), (285, 80), (365, 60), (425, 70)];

    public static byte[] Render(InvoiceDocument document, BusinessProfile business)
    {
        PdfFonts.EnsureRegistered();
        var row = document.Invoice;
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"{Kind(row)} {row.Number}";
        pdf.Info.Author = business.Name;
        pdf.Info.CreationDate = row.CreatedAt.UtcDateTime;
        var page = new Writer(pdf);

        page.Text(business.Name, Title, 26);
        page.Text($"{business.Region} · {business.Domain ?? business.Slug}", Body, 20);
        page.Text($"{Kind(row)} {row.Number}", Bold, 14);
        page.Text($"Issue date: {row.IssueDate:yyyy-MM-dd}    Status: {row.Status.Replace('_', ' ')}    Currency: {row.Currency}", Body, 14);
        if (row.CustomerName is not null || row.CustomerEmail is not null)
        {
            page.Text($"Bill to: {string.Join(" <", new[] { row.CustomerName, row.CustomerEmail }.Where(x => x is not null))}{(row.CustomerName is not null && row.CustomerEmail is not null ? ">" : string.Empty)}", Body, 14);
        }

        if (row.Reason is { Length: > 0 } reason)
        {
            page.Wrapped($"Reason: {reason}", Body, 480);
        }

        if (row.Status == InvoiceKinds.Void)
        {
            page.Wrapped($"VOID{(row.VoidedAt is { } voided ? $" since {voided.UtcDateTime:yyyy-MM-dd}" : string.Empty)}: {row.VoidReason ?? "the refund was reversed"}", Bold, 480);
        }

        page.Gap(12);
        TableHeader(page);
        foreach (var line in document.Lines)
        {
            var description = Writer.Wrap(page.Graphics, line.Description, Body, Cols[0].Width - 6);
            var height = description.Count * 13 + 3;
            if (page.NeedsPage(height))
            {
                page.NewPage();
                TableHeader(page);
            }

            for (var i = 0; i < description.Count; i++)
            {
                page.Cell(description[i], Body, Cols[0], i * 13, left: true);
            }

            page.Cell(line.Quantity.ToString("0.###", CultureInfo.InvariantCulture), Body, Cols[1], 0);
            page.Cell(Amount(Money.ToMinor(line.UnitPrice, row.Currency), row.Currency), Body, Cols[2], 0);
            page.Cell(line.TaxRatePercent is { } rate ? $"{rate:0.###} %" : "—", Body, Cols[3], 0);
            page.Cell(Amount(line.AmountMinor, row.Currency), Body, Cols[4], 0);
            page.Advance(height);
        }

        page.Rule();
        page.Gap(6);
        if (page.NeedsPage(40 + document.Taxes.Count * 14))
        {
            page.NewPage();
        }

        foreach (var tax in document.Taxes)
        {
            page.Total($"{tax.Name} {tax.RatePercent:0.###} % {(tax.Inclusive ? "(included)" : "(added)")} on {Amount(tax.NetMinor, row.Currency)}", Amount(tax.TaxMinor, row.Currency), Body);
        }

        page.Total("Net", Amount(row.NetMinor, row.Currency), Body);
        page.Total("Tax", Amount(row.TaxMinor, row.Currency), Body);
        page.Total($"Total {row.Currency}", Amount(row.TotalMinor, row.Currency), Bold);
        page.Gap(12);
        if (row.TaxNote is { } note)
        {
            page.Wrapped($"Tax note: {note}", Body, 480);
        }

        if (row.PaymentReference is not null)
        {
            page.Wrapped($"Payment reference: {row.PaymentGateway} {row.PaymentReference}{(row.PaidAt is { } at ? $" ({at.UtcDateTime:yyyy-MM-dd})" : string.Empty)}", Body, 480);
        }
        else if (row.PaymentLink is not null)
        {
            page.Wrapped($"Pay online: {row.PaymentLink}", Body, 480);
        }

        page.Graphics.Dispose();
        using var stream = new MemoryStream();
        pdf.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>An amount in minor units written with the currency's decimals and thousands separators (1234567 EUR → 12,345.67).</summary>
    public static string Amount(long minor, string currency) =>
        Money.FromMinor(minor, currency).ToString(Money.MinorUnits(currency) == 0 ? "#,0" : "#,0." + new string('0', Money.MinorUnits(currency)), CultureInfo.InvariantCulture);

    private static string Kind(InvoiceRow row) => row.Kind == InvoiceKinds.CreditNote ? "Credit note" : "Invoice";

    private static void TableHeader(Writer page)
    {
        string[] titles = ["Description", "Qty", "Unit price", "Tax", "Amount"];
        for (var i = 0; i < titles.Length; i++)
        {
            page.Cell(titles[i], Bold, Cols[i], 0, left: i == 0);
        }

        page.Advance(14);
        page.Rule();
        page.Gap(4);
    }

    /// <summary>A cursor down A4 pages.</summary>
    private sealed class Writer
    {
        private readonly PdfDocument _pdf;
        private double _y;

        public Writer(PdfDocument pdf)
        {
            _pdf = pdf;
            NewPage();
        }

        public XGraphics Graphics { get; private set; } = null!;

        private double Height { get; set; }

        public void NewPage()
        {
            Graphics?.Dispose();
            var page = _pdf.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            Height = page.Height.Point;
            Graphics = XGraphics.FromPdfPage(page);
            _y = Margin;
        }

        public bool NeedsPage(double height) => _y + height > Height - Margin;

        public void Advance(double height) => _y += height;

        public void Gap(double height) => _y += height;

        public void Text(string text, XFont font, double height)
        {
            if (NeedsPage(height))
            {
                NewPage();
            }

            Graphics.DrawString(text, font, XBrushes.Black, new XRect(Margin, _y, 495, height), XStringFormats.TopLeft);
            _y += height;
        }

        public void Wrapped(string text, XFont font, double width)
        {
            foreach (var line in Wrap(Graphics, text, font, width))
            {
                Text(line, font, 13);
            }
        }

        public void Cell(string text, XFont font, (double X, double Width) col, double dy, bool left = false) =>
            Graphics.DrawString(text, font, XBrushes.Black, new XRect(Margin + col.X, _y + dy, col.Width - 4, 13), left ? XStringFormats.TopLeft : XStringFormats.TopRight);

        public void Total(string label, string amount, XFont font)
        {
            if (NeedsPage(14))
            {
                NewPage();
            }

            Graphics.DrawString(label, font, XBrushes.Black, new XRect(Margin + 150, _y, 270, 13), XStringFormats.TopRight);
            Graphics.DrawString(amount, font, XBrushes.Black, new XRect(Margin + Cols[4].X, _y, Cols[4].Width - 4, 13), XStringFormats.TopRight);
            _y += 14;
        }

        public void Rule() => Graphics.DrawLine(XPens.Gray, Margin, _y, Margin + 495, _y);

        /// <summary>Splits text into lines no wider than <paramref name="width"/>, at spaces where possible (long words are cut).</summary>
        public static List<string> Wrap(XGraphics g, string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = string.Empty;
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (g.MeasureString(candidate, font).Width <= width)
                {
                    current = candidate;
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current);
                }

                current = word;
                while (g.MeasureString(current, font).Width > width && current.Length > 1)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && g.MeasureString(current[..cut], font).Width > width)
                    {
                        cut--;
                    }

                    lines.Add(current[..cut]);
                    current = current[cut..];
                }
            }

            lines.Add(current);
            return lines;
        }
    }
}

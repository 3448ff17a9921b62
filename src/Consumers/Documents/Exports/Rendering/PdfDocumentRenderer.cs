using System.Text.RegularExpressions;
using BacBos.Consumers.Rendering;
using BacBos.Contracts.Documents;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BacBos.Consumers.Documents.Exports.Rendering;

/// <summary>
/// A PDF (PDFsharp, DejaVu Sans) laid out by our own small engine over <see cref="ExportMarkdown.Read"/>: words wrap at
/// the text width (a word wider than a line is broken), a block that does not fit moves to a new A4 page, headings are
/// larger and bold and keep a few lines of what follows, list items are indented under their bullet or number, tables
/// are bordered grids with equal columns (the header row is repeated on each page a table spans), links are blue and
/// clickable, code is monospaced-looking on grey. Every page carries "title — page n of N".
/// </summary>
public sealed partial class PdfDocumentRenderer : IDocumentRenderer
{
    public string Format => DocumentExportFormat.Pdf;

    public string ContentType => "application/pdf";

    public string Extension => "pdf";

    public byte[] Render(DocumentContent document)
    {
        PdfFonts.EnsureRegistered();
        using var pdf = new PdfDocument();
        pdf.Info.Title = document.Title;
        using (var layout = new Layout(pdf))
        {
            foreach (var block in ExportMarkdown.Read(document.Markdown))
            {
                layout.Block(block);
            }
        }

        Footers(pdf, document.Title);
        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    private static void Footers(PdfDocument pdf, string title)
    {
        var font = new XFont(Layout.Family, 8, XFontStyleEx.Regular);
        for (var i = 0; i < pdf.PageCount; i++)
        {
            var page = pdf.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var text = $"{title} — page {i + 1} of {pdf.PageCount}";
            gfx.DrawString(text, font, XBrushes.Gray, new XRect(0, page.Height.Point - Layout.Margin + 16, page.Width.Point, 12), XStringFormats.TopCenter);
        }
    }

    [GeneratedRegex(@"\s+|\S+")]
    private static partial Regex Tokens();

    private sealed record Piece(string Text, XFont Font, XBrush Brush, double X, double Width, string? Link);

    private sealed record Line(List<Piece> Pieces, double Height);

    private sealed class Layout : IDisposable
    {
        public const string Family = "DejaVu Sans";
        public const double Margin = 56;
        private const double BodySize = 10.5;
        private const double Indent = 18;
        private static readonly double[] HeadingSizes = [20, 16, 13.5, 12, 11, 11];
        private static readonly XBrush LinkBrush = new XSolidBrush(XColor.FromArgb(5, 99, 193));
        private static readonly XBrush CodeBrush = new XSolidBrush(XColor.FromArgb(244, 244, 244));
        private static readonly XBrush HeaderBrush = new XSolidBrush(XColor.FromArgb(235, 235, 235));
        private static readonly XPen GridPen = new(XColor.FromArgb(153, 153, 153), 0.6);
        private readonly PdfDocument _pdf;
        private readonly Dictionary<(double, XFontStyleEx), XFont> _fonts = [];
        private readonly Dictionary<(XFont, string), double> _widths = [];
        private PdfPage _page = null!;
        private XGraphics _gfx = null!;
        private double _y;

        public Layout(PdfDocument pdf)
        {
            _pdf = pdf;
            NewPage();
        }

        private double Width => _page.Width.Point - (2 * Margin);

        private double Bottom => _page.Height.Point - Margin;

        public void Block(ExportBlock block)
        {
            switch (block)
            {
                case HeadingBlockModel h:
                    var size = HeadingSizes[Math.Clamp(h.Level, 1, 6) - 1];
                    var heading = Wrap(h.Runs, size, Width, bold: true);
                    _y += _y > Margin ? size * 0.6 : 0;
                    // Keep the heading with the first lines that follow it.
                    EnsureSpace(heading.Sum(l => l.Height) + (3 * LineHeight(BodySize)));
                    Draw(heading, Margin);
                    _y += 4;
                    break;
                case ParagraphModel p:
                    Draw(Wrap(p.Runs, BodySize, Width - (Indent * p.Indent)), Margin + (Indent * p.Indent));
                    _y += 6;
                    break;
                case ListItemModel item:
                    ListItem(item);
                    break;
                case TableModel table:
                    Table(table);
                    _y += 8;
                    break;
                case CodeBlockModel code:
                    Code(code);
                    _y += 6;
                    break;
                default:
                    EnsureSpace(12);
                    _gfx.DrawLine(GridPen, Margin, _y + 6, Margin + Width, _y + 6);
                    _y += 12;
                    break;
            }
        }

        public void Dispose() => _gfx.Dispose();

        private void ListItem(ListItemModel item)
        {
            var indent = Indent * (item.Depth + 1);
            var lines = Wrap(item.Runs, BodySize, Width - indent);
            if (item.IsFirst && lines.Count > 0)
            {
                EnsureSpace(lines[0].Height);
                var font = Font(BodySize, XFontStyleEx.Regular);
                var marker = item.Marker;
                _gfx.DrawString(marker, font, XBrushes.Black, Margin + indent - 4 - Measure(marker, font), _y, XStringFormats.TopLeft);
            }

            Draw(lines, Margin + indent);
            _y += 3;
        }

        private void Table(TableModel table)
        {
            var columns = Math.Max(1, table.Columns);
            var cellWidth = Width / columns;
            const double pad = 4;
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var header = r == 0 && table.HasHeader;
                var cells = Cells(table.Rows[r], columns, cellWidth - (2 * pad), header);
                var height = cells.Max(c => c.Sum(l => l.Height)) + (2 * pad);
                if (EnsureSpace(height) && table.HasHeader && r > 0)
                {
                    var head = Cells(table.Rows[0], columns, cellWidth - (2 * pad), true);
                    Row(head, head.Max(c => c.Sum(l => l.Height)) + (2 * pad), cellWidth, pad, true);
                }

                Row(cells, height, cellWidth, pad, header);
            }
        }

        private List<List<Line>> Cells(IReadOnlyList<IReadOnlyList<TextRun>> row, int columns, double width, bool header) =>
            Enumerable.Range(0, columns).Select(c => Wrap(c < row.Count ? row[c] : [], BodySize - 1, width, bold: header)).ToList();

        private void Row(List<List<Line>> cells, double height, double cellWidth, double pad, bool header)
        {
            for (var c = 0; c < cells.Count; c++)
            {
                var rect = new XRect(Margin + (c * cellWidth), _y, cellWidth, height);
                if (header)
                {
                    _gfx.DrawRectangle(HeaderBrush, rect);
                }

                _gfx.DrawRectangle(GridPen, rect);
                var y = _y + pad;
                foreach (var line in cells[c])
                {
                    DrawLine(line, rect.X + pad, y);
                    y += line.Height;
                }
            }

            _y += height;
        }

        private void Code(CodeBlockModel code)
        {
            foreach (var text in code.Lines)
            {
                foreach (var line in Wrap([new TextRun(text.Length == 0 ? " " : text, Code: true)], BodySize - 1.5, Width - 8, keepSpaces: true))
                {
                    EnsureSpace(line.Height);
                    _gfx.DrawRectangle(CodeBrush, new XRect(Margin, _y, Width, line.Height));
                    DrawLine(line, Margin + 4, _y);
                    _y += line.Height;
                }
            }
        }

        /// <summary>Breaks styled runs into lines no wider than <paramref name="width"/>.</summary>
        private List<Line> Wrap(IReadOnlyList<TextRun> runs, double size, double width, bool bold = false, bool keepSpaces = false)
        {
            var lines = new List<Line>();
            var current = new List<Piece>();
            var x = 0d;
            var wrapped = false;

            void Flush(bool soft)
            {
                lines.Add(new Line(current, LineHeight(current.Count == 0 ? size : current.Max(p => p.Font.Size))));
                current = [];
                x = 0;
                wrapped = soft;
            }

            foreach (var run in runs)
            {
                if (run.IsBreak)
                {
                    Flush(false);
                    continue;
                }

                var style = (run.Bold || bold ? XFontStyleEx.Bold : 0) | (run.Italic ? XFontStyleEx.Italic : 0) | (run.Link is null ? 0 : XFontStyleEx.Underline);
                var font = Font(run.Code ? size * 0.92 : size, style);
                var brush = run.Link is null ? XBrushes.Black : LinkBrush;
                foreach (Match token in Tokens().Matches(run.Text))
                {
                    var text = token.Value;
                    if (char.IsWhiteSpace(text[0]))
                    {
                        if (current.Count == 0 && wrapped)
                        {
                            continue;
                        }

                        text = keepSpaces ? text : " ";
                    }
                    else if (x > 0 && x + Measure(text, font) > width)
                    {
                        Flush(true);
                    }

                    // A word longer than a whole line is broken where it reaches the edge.
                    while (text.Length > 1 && x + Measure(text, font) > width)
                    {
                        var fit = 1;
                        while (fit < text.Length && x + Measure(text[..(fit + 1)], font) <= width)
                        {
                            fit++;
                        }

                        var head = text[..fit];
                        current.Add(new Piece(head, font, brush, x, Measure(head, font), run.Link));
                        Flush(true);
                        text = text[fit..];
                    }

                    var w = Measure(text, font);
                    current.Add(new Piece(text, font, brush, x, w, run.Link));
                    x += w;
                }
            }

            if (current.Count > 0)
            {
                Flush(false);
            }

            return lines;
        }

        private void Draw(List<Line> lines, double x)
        {
            foreach (var line in lines)
            {
                EnsureSpace(line.Height);
                DrawLine(line, x, _y);
                _y += line.Height;
            }
        }

        private void DrawLine(Line line, double x, double y)
        {
            foreach (var piece in line.Pieces)
            {
                // Smaller faces (code) sit on the line's baseline, not at its top.
                var drop = ((line.Height / 1.35) - piece.Font.Size) * 0.8;
                _gfx.DrawString(piece.Text, piece.Font, piece.Brush, x + piece.X, y + drop, XStringFormats.TopLeft);
                if (piece.Link is not null && Uri.TryCreate(piece.Link, UriKind.Absolute, out _))
                {
                    var top = _page.Height.Point - y;
                    _page.AddWebLink(new PdfRectangle(new XPoint(x + piece.X, top - line.Height), new XPoint(x + piece.X + piece.Width, top)), piece.Link);
                }
            }
        }

        /// <summary>Starts a new page unless <paramref name="height"/> still fits on this one; true when it did.</summary>
        private bool EnsureSpace(double height)
        {
            if (_y + height <= Bottom || _y <= Margin)
            {
                return false;
            }

            NewPage();
            return true;
        }

        private void NewPage()
        {
            _gfx?.Dispose();
            _page = _pdf.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _gfx = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private static double LineHeight(double size) => size * 1.35;

        /// <summary>Text width in points; words repeat a lot, so widths are remembered per font.</summary>
        private double Measure(string text, XFont font)
        {
            if (!_widths.TryGetValue((font, text), out var width))
            {
                width = _gfx.MeasureString(text, font).Width;
                _widths[(font, text)] = width;
            }

            return width;
        }

        private XFont Font(double size, XFontStyleEx style)
        {
            if (!_fonts.TryGetValue((size, style), out var font))
            {
                font = new XFont(Family, size, style);
                _fonts[(size, style)] = font;
            }

            return font;
        }
    }
}

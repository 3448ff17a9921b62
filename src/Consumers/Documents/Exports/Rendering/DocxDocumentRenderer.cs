using BacBos.Contracts.Documents;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace BacBos.Consumers.Documents.Exports.Rendering;

/// <summary>
/// A Word document (OpenXML SDK): headings as the built-in <c>Heading1…6</c> styles, bullet and numbered lists through a
/// numbering part (numbering restarts per list, nesting by level), bold/italic runs, code in a monospace font, links as
/// hyperlinks with external relationships, tables as bordered grids with a repeated header row. A4, 2 cm margins.
/// </summary>
public sealed class DocxDocumentRenderer : IDocumentRenderer
{
    private const int BulletAbstract = 1;
    private const int OrderedAbstract = 2;
    private static readonly int[] HeadingHalfPoints = [40, 32, 28, 24, 22, 22];

    public string Format => DocumentExportFormat.Docx;

    public string ContentType => "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public string Extension => "docx";

    public byte[] Render(DocumentContent document)
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            word.PackageProperties.Title = document.Title;
            var main = word.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles();
            var blocks = ExportMarkdown.Read(document.Markdown);
            var lists = blocks.OfType<ListItemModel>().GroupBy(i => i.ListId).Select(g => g.First()).ToList();
            main.AddNewPart<NumberingDefinitionsPart>().Numbering = Numbering(lists);

            var body = new Body();
            foreach (var block in blocks)
            {
                body.Append(Block(block, main));
            }

            body.Append(new SectionProperties(
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 1134, Bottom = 1134, Left = 1134U, Right = 1134U, Header = 709U, Footer = 709U, Gutter = 0U }));
            main.Document = new Document(body);
        }

        return stream.ToArray();
    }

    private static OpenXmlElement Block(ExportBlock block, MainDocumentPart main) => block switch
    {
        HeadingBlockModel h => Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = $"Heading{h.Level}" }), h.Runs, main),
        ParagraphModel p => Paragraph(p.Indent == 0 ? null : new ParagraphProperties(new Indentation { Left = (720 * p.Indent).ToString() }), p.Runs, main),
        ListItemModel item => Paragraph(
            item.IsFirst
                ? new ParagraphProperties(
                    new ParagraphStyleId { Val = "ListParagraph" },
                    new NumberingProperties(new NumberingLevelReference { Val = item.Depth }, new NumberingId { Val = item.ListId }))
                : new ParagraphProperties(new ParagraphStyleId { Val = "ListParagraph" }, new Indentation { Left = (720 * (item.Depth + 1)).ToString() }),
            item.Runs,
            main),
        TableModel table => Table(table, main),
        CodeBlockModel code => Code(code),
        _ => new Paragraph(new ParagraphProperties(new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 6U, Space = 1U, Color = "999999" }))),
    };

    private static Paragraph Paragraph(ParagraphProperties? properties, IReadOnlyList<TextRun> runs, MainDocumentPart main)
    {
        var paragraph = new Paragraph();
        if (properties is not null)
        {
            paragraph.Append(properties);
        }

        // Consecutive runs with the same absolute link target become one hyperlink.
        for (var i = 0; i < runs.Count;)
        {
            var link = Uri.TryCreate(runs[i].Link, UriKind.Absolute, out var uri) ? uri : null;
            var j = i;
            while (j < runs.Count && runs[j].Link == runs[i].Link)
            {
                j++;
            }

            var group = runs.Skip(i).Take(j - i).Select(r => Run(r, link is not null));
            if (link is null)
            {
                paragraph.Append(group);
            }
            else
            {
                paragraph.Append(new Hyperlink(group) { Id = main.AddHyperlinkRelationship(link, true).Id, History = true });
            }

            i = j;
        }

        return paragraph;
    }

    private static Run Run(TextRun text, bool hyperlink = false, bool bold = false)
    {
        var properties = new RunProperties();
        if (hyperlink)
        {
            properties.Append(new RunStyle { Val = "Hyperlink" });
        }

        if (text.Code)
        {
            properties.Append(new RunFonts { Ascii = "DejaVu Sans Mono", HighAnsi = "DejaVu Sans Mono", ComplexScript = "DejaVu Sans Mono" });
        }

        if (text.Bold || bold)
        {
            properties.Append(new Bold());
        }

        if (text.Italic)
        {
            properties.Append(new Italic());
        }

        var run = new Run(properties);
        run.Append(text.IsBreak ? new Break() : new Text(text.Text) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    private static Table Table(TableModel model, MainDocumentPart main)
    {
        var columns = Math.Max(1, model.Columns);
        var width = 9638 / columns;
        static BorderType Line<T>()
            where T : BorderType, new() => new T { Val = BorderValues.Single, Size = 4U, Color = "999999" };
        var table = new Table(
            new TableProperties(
                new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                new TableBorders(Line<TopBorder>(), Line<LeftBorder>(), Line<BottomBorder>(), Line<RightBorder>(), Line<InsideHorizontalBorder>(), Line<InsideVerticalBorder>())),
            new TableGrid(Enumerable.Range(0, columns).Select(_ => new GridColumn { Width = width.ToString() })));
        for (var r = 0; r < model.Rows.Count; r++)
        {
            var header = r == 0 && model.HasHeader;
            var row = new TableRow();
            if (header)
            {
                row.Append(new TableRowProperties(new TableHeader()));
            }

            for (var c = 0; c < columns; c++)
            {
                var runs = c < model.Rows[r].Count ? model.Rows[r][c] : [];
                var paragraph = Paragraph(null, header ? runs.Select(x => x with { Bold = true }).ToList() : runs, main);
                row.Append(new TableCell(new TableCellProperties(new TableCellWidth { Width = width.ToString(), Type = TableWidthUnitValues.Dxa }), paragraph));
            }

            table.Append(row);
        }

        return table;
    }

    private static Paragraph Code(CodeBlockModel code)
    {
        var paragraph = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Code" }));
        for (var i = 0; i < code.Lines.Count; i++)
        {
            if (i > 0)
            {
                paragraph.Append(Run(new TextRun("\n", Code: true)));
            }

            paragraph.Append(Run(new TextRun(code.Lines[i], Code: true)));
        }

        return paragraph;
    }

    private static Numbering Numbering(IReadOnlyList<ListItemModel> lists)
    {
        var numbering = new Numbering(AbstractList(BulletAbstract, ordered: false), AbstractList(OrderedAbstract, ordered: true));
        foreach (var list in lists)
        {
            var instance = new NumberingInstance(new AbstractNumId { Val = list.Ordered ? OrderedAbstract : BulletAbstract }) { NumberID = list.ListId };
            if (list.Ordered)
            {
                instance.Append(new LevelOverride(new StartOverrideNumberingValue { Val = list.Number }) { LevelIndex = list.Depth });
            }

            numbering.Append(instance);
        }

        return numbering;
    }

    private static AbstractNum AbstractList(int id, bool ordered)
    {
        var list = new AbstractNum(new MultiLevelType { Val = MultiLevelValues.HybridMultilevel }) { AbstractNumberId = id };
        for (var level = 0; level < 9; level++)
        {
            list.Append(new Level(
                new StartNumberingValue { Val = 1 },
                new NumberingFormat { Val = ordered ? NumberFormatValues.Decimal : NumberFormatValues.Bullet },
                new LevelText { Val = ordered ? $"%{level + 1}." : level % 2 == 0 ? "•" : "◦" },
                new LevelJustification { Val = LevelJustificationValues.Left },
                new PreviousParagraphProperties(new Indentation { Left = (720 * (level + 1)).ToString(), Hanging = "360" }))
            { LevelIndex = level });
        }

        return list;
    }

    private static Styles Styles()
    {
        var styles = new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "DejaVu Sans", HighAnsi = "DejaVu Sans", ComplexScript = "DejaVu Sans" },
                    new FontSize { Val = "22" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true });
        for (var level = 1; level <= 6; level++)
        {
            styles.Append(new Style(
                new StyleName { Val = $"heading {level}" },
                new BasedOn { Val = "Normal" },
                new NextParagraphStyle { Val = "Normal" },
                new PrimaryStyle(),
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = level <= 2 ? "360" : "240", After = "120" }, new OutlineLevel { Val = level - 1 }),
                new StyleRunProperties(new Bold(), new FontSize { Val = HeadingHalfPoints[level - 1].ToString() }))
            { Type = StyleValues.Paragraph, StyleId = $"Heading{level}" });
        }

        styles.Append(
            new Style(new StyleName { Val = "List Paragraph" }, new BasedOn { Val = "Normal" }, new StyleParagraphProperties(new SpacingBetweenLines { After = "60" }))
            { Type = StyleValues.Paragraph, StyleId = "ListParagraph" },
            new Style(
                new StyleName { Val = "Code" },
                new BasedOn { Val = "Normal" },
                new StyleParagraphProperties(new Shading { Val = ShadingPatternValues.Clear, Fill = "F4F4F4", Color = "auto" }),
                new StyleRunProperties(new RunFonts { Ascii = "DejaVu Sans Mono", HighAnsi = "DejaVu Sans Mono" }, new FontSize { Val = "18" }))
            { Type = StyleValues.Paragraph, StyleId = "Code" },
            new Style(new StyleName { Val = "Hyperlink" }, new StyleRunProperties(new Color { Val = "0563C1" }, new Underline { Val = UnderlineValues.Single }))
            { Type = StyleValues.Character, StyleId = "Hyperlink" });
        return styles;
    }
}

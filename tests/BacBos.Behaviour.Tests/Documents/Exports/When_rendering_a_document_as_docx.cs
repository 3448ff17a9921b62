using BacBos.Consumers.Documents.Exports.Rendering;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;

namespace BacBos.Behaviour.Tests.Documents.Exports;

/// <summary>The DOCX export, reopened with the OpenXML SDK: valid against the schema, with Word's own structures.</summary>
public sealed class When_rendering_a_document_as_docx : IDisposable
{
    private readonly MemoryStream _file = new(new DocxDocumentRenderer().Render(SampleDocuments.Sample));
    private readonly WordprocessingDocument _word;

    public When_rendering_a_document_as_docx() => _word = WordprocessingDocument.Open(_file, false);

    private Body Body => _word.MainDocumentPart!.Document.Body!;

    public void Dispose()
    {
        _word.Dispose();
        _file.Dispose();
    }

    [Fact]
    public void Should_validate_against_the_office_schema()
    {
        var errors = new OpenXmlValidator().Validate(_word).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();

        Assert.Empty(errors);
        Assert.Equal("Quarterly Plan", _word.PackageProperties.Title);
    }

    [Fact]
    public void Should_mark_headings_with_the_heading_styles()
    {
        var headings = Body.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value?.StartsWith("Heading", StringComparison.Ordinal) == true)
            .Select(p => (p.ParagraphProperties!.ParagraphStyleId!.Val!.Value, p.InnerText))
            .ToList();

        Assert.Equal([("Heading1", "Quarterly Plan"), ("Heading2", "Milestones"), ("Heading3", "Numbers")], headings);
        Assert.NotNull(_word.MainDocumentPart!.StyleDefinitionsPart!.Styles!.Elements<Style>().SingleOrDefault(s => s.StyleId == "Heading1"));
    }

    [Fact]
    public void Should_keep_bold_and_italic_runs()
    {
        var runs = Body.Descendants<Run>().ToList();

        Assert.Contains(runs, r => r.InnerText == "bold goals" && r.RunProperties?.Bold is not null && r.RunProperties.Italic is null);
        Assert.Contains(runs, r => r.InnerText == "careful steps" && r.RunProperties?.Italic is not null && r.RunProperties.Bold is null);
    }

    [Fact]
    public void Should_link_through_an_external_hyperlink_relationship()
    {
        var link = Body.Descendants<Hyperlink>().Single();
        var relationship = _word.MainDocumentPart!.HyperlinkRelationships.Single(r => r.Id == link.Id);

        Assert.Equal("handbook", link.InnerText);
        Assert.Equal(new Uri("https://example.com/handbook"), relationship.Uri);
        Assert.True(relationship.IsExternal);
    }

    [Fact]
    public void Should_number_lists_through_the_numbering_part_and_nest_them()
    {
        var items = Body.Elements<Paragraph>()
            .Where(p => p.ParagraphProperties?.NumberingProperties is not null)
            .Select(p => (Text: p.InnerText, Level: p.ParagraphProperties!.NumberingProperties!.NumberingLevelReference!.Val!.Value, Num: p.ParagraphProperties.NumberingProperties.NumberingId!.Val!.Value))
            .ToList();
        var numbering = _word.MainDocumentPart!.NumberingDefinitionsPart!.Numbering!;
        string FormatOf(int num) =>
            numbering.Elements<AbstractNum>()
                .Single(a => a.AbstractNumberId!.Value == numbering.Elements<NumberingInstance>().Single(n => n.NumberID!.Value == num).AbstractNumId!.Val!.Value)
                .Elements<Level>().First().NumberingFormat!.Val!.ToString()!;

        Assert.Equal(["Hire two engineers", "Launch the Lagos office", "Find a venue", "Sign the lease", "Close the books", "Draft the budget", "Review with finance", "Publish"], items.Select(i => i.Text));
        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 0], items.Select(i => i.Level));
        Assert.Equal("bullet", FormatOf(items[0].Num));
        Assert.Equal("decimal", FormatOf(items[^1].Num));
    }

    [Fact]
    public void Should_put_table_cells_in_a_table_with_a_header_row()
    {
        var table = Body.Elements<Table>().Single();
        var rows = table.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();

        Assert.Equal(["Region", "Revenue", "Owner"], rows[0]);
        Assert.Equal(["Nairobi", "950", "Kofi"], rows[2]);
        Assert.NotNull(table.Elements<TableRow>().First().TableRowProperties?.GetFirstChild<TableHeader>());
    }
}

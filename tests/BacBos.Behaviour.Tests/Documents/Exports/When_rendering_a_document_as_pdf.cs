using BacBos.Consumers.Documents.Exports.Rendering;
using BacBos.Tests.Shared;

namespace BacBos.Behaviour.Tests.Documents.Exports;

/// <summary>The PDF export, read back with poppler's pdftotext.</summary>
public class When_rendering_a_document_as_pdf
{
    private readonly PdfDocumentRenderer _renderer = new();

    [Fact]
    public void Should_hold_the_headings_text_lists_and_table_cells()
    {
        var pdf = _renderer.Render(SampleDocuments.Sample);
        var text = ExportReaders.Flat(ExportReaders.PdfText(pdf));

        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        foreach (var expected in new[] { "Quarterly Plan", "Milestones", "Numbers", "bold goals", "careful steps", "Find a venue", "Review with finance", "Nairobi", "Kofi", "total = lagos + nairobi", "A quoted remark" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Contains("•", text, StringComparison.Ordinal);
        Assert.Contains("2.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_wrap_long_documents_across_numbered_pages()
    {
        var pdf = _renderer.Render(SampleDocuments.Long());
        var pages = ExportReaders.PdfText(pdf).Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToList();

        Assert.True(pages.Count >= 3, $"expected several pages, got {pages.Count}");
        Assert.Contains("Section 1", pages[0], StringComparison.Ordinal);
        Assert.Contains("Final paragraph marker.", pages[^1], StringComparison.Ordinal);
        Assert.Contains($"Long Report — page {pages.Count} of {pages.Count}", pages[^1], StringComparison.Ordinal);
        // Wrapping: no line of the text is longer than the page allows (one paragraph is ~480 characters).
        Assert.All(pages.SelectMany(p => p.Split('\n')), line => Assert.True(line.Length < 130, $"unwrapped line: {line}"));
    }

    [Fact]
    public void Should_break_a_word_longer_than_a_line()
    {
        var word = new string('x', 400);
        var pdf = _renderer.Render(new(Guid.NewGuid(), "Wide", $"# Wide\n\n{word}\n", 1));
        var lines = ExportReaders.PdfText(pdf).Split('\n').Where(l => l.StartsWith('x')).ToList();

        Assert.True(lines.Count >= 3, $"expected the word over several lines, got {lines.Count}");
        Assert.Equal(400, lines.Sum(l => l.Trim().Length));
    }

    [Fact]
    public void Should_render_an_empty_document_as_one_page()
    {
        var pdf = _renderer.Render(new(Guid.NewGuid(), "Empty", string.Empty, 1));

        Assert.Contains("Empty — page 1 of 1", ExportReaders.PdfText(pdf), StringComparison.Ordinal);
    }
}

using System.Diagnostics;

namespace BacBos.Tests.Shared;

/// <summary>Real readers for exported files, shared by the test projects: poppler's <c>pdftotext</c> for PDFs.</summary>
public static class ExportReaders
{
    /// <summary>The text of a PDF as <c>pdftotext</c> reads it; pages are separated by form feeds.</summary>
    public static string PdfText(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bacbos-export-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", path, "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var text = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                throw new TimeoutException("pdftotext did not finish within 30 s");
            }

            Assert.True(process.ExitCode == 0, $"pdftotext failed ({process.ExitCode}): {error.Result}");
            return text.Result;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Whitespace-normalised text, so wrapped lines still match a phrase.</summary>
    public static string Flat(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The paragraphs of a DOCX as (style, text), read with the OpenXML SDK.</summary>
    public static IReadOnlyList<(string? Style, string Text)> DocxParagraphs(byte[] docx)
    {
        using var stream = new MemoryStream(docx);
        using var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(stream, false);
        return word.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>()
            .Select(p => (p.ParagraphProperties?.ParagraphStyleId?.Val?.Value, p.InnerText))
            .ToList();
    }
}

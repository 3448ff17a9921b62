using System.Diagnostics;
using System.Text;
using BacBos.Consumers.Documents;

namespace BacBos.Behaviour.Tests.Documents.Exports;

/// <summary>Documents the renderer tests export, and the real readers that check the results (poppler's pdftotext).</summary>
internal static class SampleDocuments
{
    public const string Markdown = """
        # Quarterly Plan

        The plan covers **bold goals**, *careful steps* and `inline code`. Read the [handbook](https://example.com/handbook) first.

        ## Milestones

        - Hire two engineers
        - Launch the *Lagos* office
          - Find a venue
          - Sign the lease
        - Close the books

        1. Draft the budget
        2. Review with finance
        3. Publish

        ### Numbers

        | Region | Revenue | Owner |
        |--------|--------:|-------|
        | Lagos  | 1,200   | Ada   |
        | Nairobi | 950    | Kofi  |

        > A quoted remark about the plan.

        ```
        total = lagos + nairobi
        ```

        ---

        Raw <script>alert(1)</script> markup stays text.
        """;

    public static DocumentContent Sample { get; } = new(Guid.NewGuid(), "Quarterly Plan", Markdown, 7);

    /// <summary>A document long enough for several pages: many sections of wrapped paragraphs.</summary>
    public static DocumentContent Long()
    {
        var markdown = new StringBuilder();
        for (var section = 1; section <= 12; section++)
        {
            markdown.Append("## Section ").Append(section).Append("\n\n");
            for (var p = 0; p < 4; p++)
            {
                markdown.Append(string.Concat(Enumerable.Repeat($"Paragraph {p} of section {section} has enough words to wrap across the line. ", 6))).Append("\n\n");
            }
        }

        markdown.Append("Final paragraph marker.\n");
        return new DocumentContent(Guid.NewGuid(), "Long Report", markdown.ToString(), 1);
    }

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
}

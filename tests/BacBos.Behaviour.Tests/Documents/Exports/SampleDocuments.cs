using System.Text;
using BacBos.Consumers.Documents;

namespace BacBos.Behaviour.Tests.Documents.Exports;

/// <summary>Documents the renderer tests export.</summary>
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
}

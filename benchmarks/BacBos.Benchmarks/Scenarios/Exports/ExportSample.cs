using System.Text;

namespace BacBos.Benchmarks.Scenarios.Exports;

/// <summary>
/// The document every exporter converts: a business report in Markdown with a title, <see cref="Sections"/> sections
/// of wrapped paragraphs (bold, italic, links), bullet and numbered lists, and a table every fourth section (~24 KB).
/// </summary>
public static class ExportSample
{
    public const int Sections = 24;
    public const string Title = "Annual Operations Report";

    public static string LastHeading => $"Section {Sections}: Regional review";

    public static string Markdown()
    {
        var md = new StringBuilder($"# {Title}\n\n");
        for (var s = 1; s <= Sections; s++)
        {
            md.Append($"## Section {s}: Regional review\n\n");
            for (var p = 0; p < 3; p++)
            {
                md.Append($"In period {p + 1} the **Lagos** and *Nairobi* teams shipped {s * 17 + p} orders; see the [dashboard](https://example.com/s{s}) for detail. ")
                    .Append("Margins held steady while logistics costs fell, and the new supplier terms took effect across every warehouse in the region.\n\n");
            }

            md.Append("- Hire two engineers\n- Open the Accra office\n  - Find a venue\n  - Sign the lease\n- Close the books\n\n");
            md.Append("1. Draft the budget\n2. Review with finance\n3. Publish the plan\n\n");
            if (s % 4 == 0)
            {
                md.Append("| Region | Orders | Revenue | Owner |\n|---|---:|---:|---|\n");
                for (var r = 0; r < 8; r++)
                {
                    md.Append($"| Region {r} | {s * 10 + r} | {(s * 10 + r) * 42} | Owner {r} |\n");
                }

                md.Append('\n');
            }
        }

        return md.ToString();
    }
}

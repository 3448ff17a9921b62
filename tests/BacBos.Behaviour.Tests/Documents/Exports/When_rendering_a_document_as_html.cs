using System.Text;
using System.Xml.Linq;
using BacBos.Consumers.Documents.Exports.Rendering;

namespace BacBos.Behaviour.Tests.Documents.Exports;

/// <summary>The HTML export: a standalone page that parses as XML and holds the document's structure.</summary>
public class When_rendering_a_document_as_html
{
    private static XElement Render()
    {
        var html = Encoding.UTF8.GetString(new HtmlDocumentRenderer().Render(SampleDocuments.Sample));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        return XDocument.Parse(html["<!DOCTYPE html>".Length..]).Root!;
    }

    [Fact]
    public void Should_parse_and_carry_the_title_and_headings()
    {
        var root = Render();

        Assert.Equal("Quarterly Plan", root.Descendants("title").Single().Value);
        Assert.Equal("Quarterly Plan", root.Descendants("h1").Single().Value);
        Assert.Equal("Milestones", root.Descendants("h2").Single().Value);
        Assert.Equal("Numbers", root.Descendants("h3").Single().Value);
    }

    [Fact]
    public void Should_render_emphasis_links_lists_and_tables()
    {
        var root = Render();

        Assert.Equal("bold goals", root.Descendants("strong").Single().Value);
        Assert.Contains(root.Descendants("em"), e => e.Value == "careful steps");
        Assert.Equal("https://example.com/handbook", root.Descendants("a").Single().Attribute("href")!.Value);
        Assert.Equal(["Find a venue", "Sign the lease"], root.Descendants("ul").Single(u => u.Parent!.Name == "li").Elements("li").Select(li => li.Value.Trim()));
        Assert.Equal(3, root.Descendants("ol").Single().Elements("li").Count());
        Assert.Equal(["Region", "Revenue", "Owner"], root.Descendants("th").Select(th => th.Value));
        Assert.Contains(root.Descendants("td"), td => td.Value == "Nairobi");
    }

    [Fact]
    public void Should_show_raw_html_as_text_and_never_pass_a_script_through()
    {
        var root = Render();

        Assert.Empty(root.Descendants("script"));
        Assert.Contains(root.Descendants("p"), p => p.Value.Contains("<script>alert(1)</script>", StringComparison.Ordinal));
    }
}

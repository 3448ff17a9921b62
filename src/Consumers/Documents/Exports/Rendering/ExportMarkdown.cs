using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace BacBos.Consumers.Documents.Exports.Rendering;

/// <summary>A span of text with one style; <see cref="Link"/> is the target when the span is part of a link.</summary>
public sealed record TextRun(string Text, bool Bold = false, bool Italic = false, bool Code = false, string? Link = null)
{
    /// <summary>A hard line break inside a paragraph.</summary>
    public bool IsBreak => Text == "\n";
}

/// <summary>A block of the document in reading order, as the DOCX and PDF renderers lay it out.</summary>
public abstract record ExportBlock;

public sealed record HeadingBlockModel(int Level, IReadOnlyList<TextRun> Runs) : ExportBlock;

/// <summary>A paragraph; <see cref="Indent"/> counts enclosing block quotes.</summary>
public sealed record ParagraphModel(IReadOnlyList<TextRun> Runs, int Indent) : ExportBlock;

/// <summary>
/// One paragraph of a list item. <see cref="ListId"/> identifies the list (numbering restarts per list),
/// <see cref="Depth"/> its nesting, <see cref="Number"/> the item's number; only the item's first paragraph
/// (<see cref="IsFirst"/>) carries the bullet or number.
/// </summary>
public sealed record ListItemModel(int ListId, int Depth, bool Ordered, int Number, bool IsFirst, IReadOnlyList<TextRun> Runs) : ExportBlock
{
    public string Marker => Ordered ? $"{Number}." : Depth % 2 == 0 ? "•" : "◦";
}

/// <summary>A table: rows of cells, each a run list; the first row is the header when <see cref="HasHeader"/>.</summary>
public sealed record TableModel(IReadOnlyList<IReadOnlyList<IReadOnlyList<TextRun>>> Rows, bool HasHeader) : ExportBlock
{
    public int Columns => Rows.Count == 0 ? 0 : Rows.Max(r => r.Count);
}

public sealed record CodeBlockModel(IReadOnlyList<string> Lines) : ExportBlock;

public sealed record RuleModel : ExportBlock;

/// <summary>
/// The Markdown dialect of exports (CommonMark + pipe tables + autolinks, raw HTML treated as text so an export can
/// never carry script) and its reading into <see cref="ExportBlock"/>s shared by the DOCX and PDF renderers.
/// </summary>
public static class ExportMarkdown
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().UsePipeTables().UseAutoLinks().DisableHtml().Build();

    public static IReadOnlyList<ExportBlock> Read(string markdown)
    {
        var reader = new BlockReader();
        reader.Walk(Markdown.Parse(markdown, Pipeline), 0, 0);
        return reader.Blocks;
    }

    /// <summary>The styled runs of a block's inline content (emphasis, strong, code spans, links, breaks).</summary>
    public static List<TextRun> Runs(ContainerInline? inlines)
    {
        var runs = new List<TextRun>();
        Walk(inlines, new TextRun(string.Empty), runs);
        return runs;
    }

    private static void Walk(ContainerInline? container, TextRun style, List<TextRun> runs)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    Add(runs, style with { Text = literal.Content.ToString() });
                    break;
                case EmphasisInline emphasis:
                    Walk(emphasis, emphasis.DelimiterCount >= 2 ? style with { Bold = true } : style with { Italic = true }, runs);
                    break;
                case CodeInline code:
                    Add(runs, style with { Text = code.Content, Code = true });
                    break;
                case AutolinkInline auto:
                    Add(runs, style with { Text = auto.Url, Link = auto.IsEmail ? "mailto:" + auto.Url : auto.Url });
                    break;
                case LinkInline { IsImage: true } image:
                    // Images are not fetched: their alternative text stands in for them.
                    Walk(image, style, runs);
                    break;
                case LinkInline link:
                    Walk(link, style with { Link = link.Url }, runs);
                    break;
                case LineBreakInline lineBreak:
                    Add(runs, style with { Text = lineBreak.IsHard ? "\n" : " " });
                    break;
                case HtmlEntityInline entity:
                    Add(runs, style with { Text = entity.Transcoded.ToString() });
                    break;
                case ContainerInline nested:
                    Walk(nested, style, runs);
                    break;
            }
        }
    }

    private static void Add(List<TextRun> runs, TextRun run)
    {
        if (run.Text.Length > 0)
        {
            runs.Add(run);
        }
    }

    private sealed class BlockReader
    {
        private int _lists;

        public List<ExportBlock> Blocks { get; } = [];

        public void Walk(ContainerBlock container, int listDepth, int quoteDepth)
        {
            foreach (var block in container)
            {
                Visit(block, listDepth, quoteDepth);
            }
        }

        private void Visit(Block block, int listDepth, int quoteDepth)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    Blocks.Add(new HeadingBlockModel(heading.Level, Runs(heading.Inline)));
                    break;
                case ParagraphBlock paragraph:
                    Blocks.Add(new ParagraphModel(Runs(paragraph.Inline), quoteDepth));
                    break;
                case ListBlock list:
                    List(list, listDepth, quoteDepth);
                    break;
                case Table table:
                    Blocks.Add(Table(table));
                    break;
                case CodeBlock code:
                    Blocks.Add(new CodeBlockModel(code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString()).ToList()));
                    break;
                case ThematicBreakBlock:
                    Blocks.Add(new RuleModel());
                    break;
                case QuoteBlock quote:
                    Walk(quote, listDepth, quoteDepth + 1);
                    break;
                case ContainerBlock other:
                    Walk(other, listDepth, quoteDepth);
                    break;
            }
        }

        private void List(ListBlock list, int depth, int quoteDepth)
        {
            var id = ++_lists;
            var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
            foreach (var item in list.OfType<ListItemBlock>())
            {
                var first = true;
                foreach (var child in item)
                {
                    if (child is ParagraphBlock paragraph)
                    {
                        Blocks.Add(new ListItemModel(id, depth, list.IsOrdered, number, first, Runs(paragraph.Inline)));
                        first = false;
                    }
                    else if (child is ListBlock nested)
                    {
                        List(nested, depth + 1, quoteDepth);
                    }
                    else
                    {
                        Visit(child, depth + 1, quoteDepth);
                    }
                }

                number++;
            }
        }

        private static TableModel Table(Table table)
        {
            var rows = table.OfType<TableRow>()
                .Select(row => (IReadOnlyList<IReadOnlyList<TextRun>>)row.OfType<TableCell>()
                    .Select(cell => (IReadOnlyList<TextRun>)cell.OfType<ParagraphBlock>().SelectMany(p => Runs(p.Inline)).ToList())
                    .ToList())
                .ToList();
            return new TableModel(rows, table.OfType<TableRow>().FirstOrDefault()?.IsHeader == true);
        }
    }
}

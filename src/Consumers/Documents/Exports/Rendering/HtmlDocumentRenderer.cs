using System.Net;
using System.Text;
using BacBos.Contracts.Documents;
using Markdig;

namespace BacBos.Consumers.Documents.Exports.Rendering;

/// <summary>
/// A standalone HTML5 page (UTF-8, title, a small print-friendly style sheet) with the document's body rendered by
/// Markdig. The markup is also well-formed XML (Markdig closes void elements), and raw HTML in the Markdown is shown
/// as text, never passed through.
/// </summary>
public sealed class HtmlDocumentRenderer : IDocumentRenderer
{
    private const string Style =
        "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}" +
        "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.25em .5em}th{background:#eee}" +
        "pre,code{font-family:'DejaVu Sans Mono',monospace;background:#f4f4f4}pre{padding:.5em;overflow-x:auto}" +
        "blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1em;color:#555}";

    public string Format => DocumentExportFormat.Html;

    public string ContentType => "text/html; charset=utf-8";

    public string Extension => "html";

    public byte[] Render(DocumentContent document)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(document.Title)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n<article>\n")
            .Append(Markdown.ToHtml(document.Markdown, ExportMarkdown.Pipeline))
            .Append("</article>\n</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }
}

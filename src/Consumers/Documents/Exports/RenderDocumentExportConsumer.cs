using System.Text;
using BacBos.Consumers.Documents.Exports.Rendering;
using BacBos.Contracts.Documents;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Documents.Exports;

/// <summary>
/// Export step 1: reads the document's current content through <see cref="IDocumentSource"/> and renders it. Rendering
/// is pure, so a redelivery renders the same bytes again. A missing document, an unknown format or content the renderer
/// cannot lay out fails the export with the reason (retrying would not help); a store that is down throws and is retried.
/// </summary>
public sealed class RenderDocumentExportConsumer(IDocumentSource documents, IEnumerable<IDocumentRenderer> renderers, ILogger<RenderDocumentExportConsumer> logger)
    : IConsumer<RenderDocumentExport>
{
    public const string Step = "render";
    private const string Accented = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ";
    private const string Plain = "aaaaaaceeeeiiiinoooooouuuuyy";

    public async Task Consume(ConsumeContext<RenderDocumentExport> context)
    {
        var command = context.Message;
        var renderer = renderers.FirstOrDefault(r => r.Format == command.Format);
        var document = renderer is null ? null : await documents.FindAsync(command.TenantId, command.DocumentId, context.CancellationToken);
        if (renderer is null || document is null)
        {
            var reason = renderer is null
                ? $"unknown format '{command.Format}' (allowed: {string.Join(", ", DocumentExportFormat.All)})"
                : $"document {command.DocumentId} no longer exists";
            await context.Publish(new DocumentExportFailed(command.ExportId, Step, reason), context.CancellationToken);
            return;
        }

        byte[] content;
        try
        {
            content = renderer.Render(document);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Export {ExportId}: rendering {Format} failed", command.ExportId, command.Format);
            await context.Publish(new DocumentExportFailed(command.ExportId, Step, $"{renderer.Format} rendering failed: {ex.Message}"), context.CancellationToken);
            return;
        }

        var fileName = $"{FileStem(document.Title)}.{renderer.Extension}";
        await context.Publish(new DocumentExportRendered(command.ExportId, fileName, renderer.ContentType, content, document.Revision), context.CancellationToken);
    }

    /// <summary>A file name from the title: lower-case ASCII letters and digits joined by dashes, at most 60 characters.</summary>
    public static string FileStem(string title)
    {
        var stem = new StringBuilder();
        foreach (var letter in title.ToLowerInvariant())
        {
            // Latin-1 letters lose their accents (the process runs with invariant globalisation: no normalisation tables).
            var folded = Accented.IndexOf(letter, StringComparison.Ordinal);
            var c = folded >= 0 ? Plain[folded] : letter;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                stem.Append(c);
            }
            else if (char.IsWhiteSpace(c) || c is '-' or '_' or '.')
            {
                if (stem.Length > 0 && stem[^1] != '-')
                {
                    stem.Append('-');
                }
            }
        }

        var result = stem.ToString().Trim('-');
        result = result.Length > 60 ? result[..60].TrimEnd('-') : result;
        return result.Length == 0 ? "document" : result;
    }
}

namespace BacBos.Consumers.Documents.Exports.Rendering;

/// <summary>Renders a document's Markdown into one export format. Pure: the same document gives the same content.</summary>
public interface IDocumentRenderer
{
    /// <summary>The wire name of the format (<see cref="Contracts.Documents.DocumentExportFormat"/>).</summary>
    string Format { get; }

    string ContentType { get; }

    string Extension { get; }

    byte[] Render(DocumentContent document);
}

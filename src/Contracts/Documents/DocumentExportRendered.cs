namespace BacBos.Contracts.Documents;

/// <summary>Render consumer → saga: the rendered file, and the document revision it was rendered from.</summary>
public sealed record DocumentExportRendered(Guid ExportId, string FileName, string ContentType, byte[] Content, long Revision);

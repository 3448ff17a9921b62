namespace BacBos.Contracts.Documents;

/// <summary>A step of the export failed for good (document gone, content that cannot be rendered, storage refused it).</summary>
public sealed record DocumentExportFailed(Guid ExportId, string Step, string Reason);

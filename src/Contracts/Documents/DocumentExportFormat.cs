namespace BacBos.Contracts.Documents;

/// <summary>The formats a document can be exported to, as they appear on the wire (<c>"pdf"</c>, <c>"docx"</c>, <c>"html"</c>).</summary>
public static class DocumentExportFormat
{
    public const string Pdf = "pdf";

    public const string Docx = "docx";

    public const string Html = "html";

    public static IReadOnlyList<string> All { get; } = [Pdf, Docx, Html];

    /// <summary>The canonical (lower-case) name of a supported format, or null when <paramref name="value"/> names none.</summary>
    public static string? Normalise(string? value) =>
        All.FirstOrDefault(f => string.Equals(f, value?.Trim(), StringComparison.OrdinalIgnoreCase));
}

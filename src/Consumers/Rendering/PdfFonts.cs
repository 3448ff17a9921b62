using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace BacBos.Consumers.Rendering;

/// <summary>
/// PDFsharp's core build resolves no fonts on Linux. Every PDF we render (invoices, document exports) uses one sans
/// family: DejaVu Sans (Debian's fonts-dejavu-core), with Liberation Sans as the fallback. Any requested family maps to
/// it; bold/italic pick the matching face file. <see cref="EnsureRegistered"/> is idempotent and thread-safe.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    /// <summary>Folders searched (recursively) in order; <c>BACBOS_FONT_DIR</c> comes first when set.</summary>
    static readonly string[] DefaultFolders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation", "/usr/share/fonts", "/usr/local/share/fonts"];

    static readonly (string Key, string[] Files)[] Faces =
    [
        ("regular", ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"]),
        ("bold", ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"]),
        ("italic", ["DejaVuSans-Oblique.ttf", "LiberationSans-Italic.ttf"]),
        ("bolditalic", ["DejaVuSans-BoldOblique.ttf", "LiberationSans-BoldItalic.ttf"]),
    ];

    static readonly object Gate = new();
    readonly ConcurrentDictionary<string, byte[]> _bytes = new(StringComparer.Ordinal);
    readonly IReadOnlyList<string> _folders;

    PdfFonts(IReadOnlyList<string> folders) => _folders = folders;

    /// <summary>Installs the resolver as PDFsharp's global font resolver unless one is already installed.</summary>
    public static void EnsureRegistered()
    {
        if (GlobalFontSettings.FontResolver is PdfFonts)
        {
            return;
        }

        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is PdfFonts)
            {
                return;
            }

            var folders = new List<string>();
            if (Environment.GetEnvironmentVariable("BACBOS_FONT_DIR") is { Length: > 0 } configured)
            {
                folders.Add(configured);
            }

            folders.AddRange(DefaultFolders);
            GlobalFontSettings.FontResolver = new PdfFonts(folders);
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new((bold, italic) switch
        {
            (true, true) => "bolditalic",
            (true, false) => "bold",
            (false, true) => "italic",
            _ => "regular",
        });

    public byte[] GetFont(string faceName) => _bytes.GetOrAdd(faceName, Load);

    byte[] Load(string faceName)
    {
        var files = Faces.First(f => f.Key == faceName).Files;
        foreach (var file in files)
        {
            foreach (var folder in _folders.Where(Directory.Exists))
            {
                var path = Directory.EnumerateFiles(folder, file, SearchOption.AllDirectories).FirstOrDefault();
                if (path is not null)
                {
                    return File.ReadAllBytes(path);
                }
            }
        }

        throw new InvalidOperationException(
            $"No TrueType font for PDF rendering: none of {string.Join(", ", files)} under {string.Join(", ", _folders)}. " +
            "Install Debian's fonts-dejavu-core or set BACBOS_FONT_DIR to a folder holding DejaVuSans*.ttf.");
    }
}

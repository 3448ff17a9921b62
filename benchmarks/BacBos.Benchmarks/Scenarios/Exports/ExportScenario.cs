using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BacBos.Benchmarks.Infrastructure;
using BacBos.Benchmarks.Report;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Exports.Rendering;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace BacBos.Benchmarks.Scenarios.Exports;

/// <summary>
/// Scenario 6: our export renderers (Markdown → HTML, DOCX, PDF, in-process, as the render consumer calls them) on
/// <see cref="ExportSample"/>, beside pandoc (Markdown → HTML and DOCX, one process per document) and LibreOffice
/// headless (DOCX → PDF, one process converting a batch, so its start-up is amortised), measured in the same run. Each
/// row reads its own outputs back (XML parser, OpenXML SDK, pdftotext) and checks that every section heading is there.
/// </summary>
public static partial class ExportScenario
{
    public const string Title = "6. Document export";

    public static async Task<IReadOnlyList<ScenarioRow>> RunAsync(RunContext context)
    {
        var folder = context.Folder("export");
        var markdown = ExportSample.Markdown();
        var source = Path.Combine(folder, "sample.md");
        await File.WriteAllTextAsync(source, markdown);
        var document = new DocumentContent(Guid.NewGuid(), ExportSample.Title, markdown, 1);
        var iterations = context.Sizes.ExportIterations;
        var pandoc = Which("pandoc");
        var soffice = Which("soffice") ?? Which("libreoffice");

        ScenarioRow Row(string id, string variant, string? baseline = null, string? shortName = null) => new()
        {
            Id = id,
            Scenario = Title,
            Variant = variant,
            Unit = "docs/s",
            IsBaseline = baseline is null && shortName is not null,
            ShortName = shortName,
            BaselineIds = baseline is null ? [] : [baseline],
        };

        var size = $"{markdown.Length / 1024} KB Markdown, {ExportSample.Sections} sections";
        var html = Row("export.html", $"ours: Markdig → HTML page, in-process ({size})", "export.pandoc-html");
        var docx = Row("export.docx", "ours: Markdig AST → DOCX (OpenXML SDK), in-process", "export.pandoc-docx");
        var pdf = Row("export.pdf", "ours: Markdig AST → PDF (PDFsharp, own layout), in-process", "export.libreoffice-pdf");
        var pandocHtml = Row("export.pandoc-html", "baseline: pandoc -s Markdown → HTML (a process per document)", shortName: "pandoc");
        var pandocDocx = Row("export.pandoc-docx", "baseline: pandoc Markdown → DOCX (a process per document)", shortName: "pandoc");
        var office = Row("export.libreoffice-pdf", "baseline: LibreOffice headless DOCX → PDF (one process per batch)", shortName: "LibreOffice");
        html.Note = $"ours run {iterations}× after 2 warm-ups; process = the runner (rendering is in-process, as in the render consumer)";
        office.Note = "input: our DOCX of the same document (LibreOffice reads no Markdown); time of each batch ÷ its documents";

        var ours = new[] { (html, (IDocumentRenderer)new HtmlDocumentRenderer()), (docx, new DocxDocumentRenderer()), (pdf, new PdfDocumentRenderer()) };
        foreach (var (row, renderer) in ours)
        {
            await Rows.GuardAsync([row], () =>
            {
                Log.Info($"export: ours {renderer.Format} ×{iterations}");
                var output = Ours(row, renderer, document, iterations);
                Check(row, renderer.Format, output);
                File.WriteAllBytes(Path.Combine(folder, "ours." + renderer.Extension), output);
                return Task.CompletedTask;
            });
        }

        foreach (var (row, format) in new[] { (pandocHtml, "html"), (pandocDocx, "docx") })
        {
            if (pandoc is null)
            {
                row.SkipReason = "skipped: pandoc not installed (scripts/bench.sh installs Debian's pandoc)";
                continue;
            }

            await Rows.GuardAsync([row], async () =>
            {
                Log.Info($"export: pandoc {format} ×{iterations}");
                var output = Path.Combine(folder, "pandoc." + format);
                var samples = new List<double>();
                long peak = 0;
                for (var i = 0; i < iterations; i++)
                {
                    var (ms, rss) = await TimedAsync(pandoc, ["-f", "markdown", "-t", format, "-s", "--metadata", $"title={ExportSample.Title}", "-o", output, source], folder, context.Sizes.WaitTimeout);
                    samples.Add(ms);
                    peak = Math.Max(peak, rss);
                }

                Fill(row, samples, iterations, "pandoc", peak);
                Check(row, format, await File.ReadAllBytesAsync(output));
            });
        }

        if (soffice is null)
        {
            office.SkipReason = "skipped: LibreOffice not installed (scripts/bench.sh installs Debian's libreoffice-writer-nogui)";
        }
        else
        {
            await Rows.GuardAsync([office], async () => await LibreOfficeAsync(office, soffice, folder, iterations, context.Sizes.WaitTimeout));
        }

        return [html, docx, pdf, pandocHtml, pandocDocx, office];
    }

    private static byte[] Ours(ScenarioRow row, IDocumentRenderer renderer, DocumentContent document, int iterations)
    {
        var output = renderer.Render(document);
        output = renderer.Render(document);
        var samples = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var start = LatencyRecorder.Now();
            output = renderer.Render(document);
            samples.Add(LatencyRecorder.MillisecondsSince(start));
        }

        Fill(row, samples, iterations, "runner (in-process)", ProcessMemory.SelfPeakRssBytes() / 1024);
        return output;
    }

    /// <summary>Batches of documents converted by one soffice process each: two batches (one in smoke runs).</summary>
    private static async Task LibreOfficeAsync(ScenarioRow row, string soffice, string folder, int iterations, TimeSpan timeout)
    {
        var ours = Path.Combine(folder, "ours.docx");
        if (!File.Exists(ours))
        {
            throw new InvalidOperationException("our DOCX export failed, so LibreOffice has no input");
        }

        var batches = iterations >= 4 ? 2 : 1;
        var perBatch = Math.Max(1, iterations / batches);
        var profile = Path.Combine(folder, "lo-profile");
        var samples = new List<double>();
        long peak = 0;
        var outputs = new List<string>();
        for (var b = 0; b < batches; b++)
        {
            var inputs = Enumerable.Range(0, perBatch).Select(i => Path.Combine(folder, $"lo-in-{b}-{i}.docx")).ToList();
            inputs.ForEach(i => File.Copy(ours, i, overwrite: true));
            var outDir = Path.Combine(folder, $"lo-out-{b}");
            Log.Info($"export: LibreOffice batch {b + 1}/{batches} of {perBatch}");
            var (ms, rss) = await TimedAsync(
                soffice,
                new[] { $"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", outDir }.Concat(inputs).ToArray(),
                folder,
                timeout);
            samples.AddRange(Enumerable.Repeat(ms / perBatch, perBatch));
            peak = Math.Max(peak, rss);
            outputs.AddRange(inputs.Select(i => Path.Combine(outDir, Path.GetFileNameWithoutExtension(i) + ".pdf")));
        }

        Fill(row, samples, batches * perBatch, "soffice", peak);
        row.Checks.Equal("PDFs written", outputs.Count, outputs.Count(File.Exists));
        Check(row, "pdf", await File.ReadAllBytesAsync(outputs[^1]));
    }

    private static void Fill(ScenarioRow row, List<double> samples, int count, string process, long peakKiB)
    {
        row.Count = count;
        row.Throughput = count / (samples.Sum() / 1000);
        row.Latency = LatencySummary.From(samples);
        Rows.AddProcess(row, process, peakKiB * 1024);
    }

    /// <summary>Every section heading must be in the output, read with a real reader for its format.</summary>
    private static void Check(ScenarioRow row, string format, byte[] output)
    {
        var headings = format switch
        {
            "html" => HtmlHeadings(output),
            "docx" => DocxHeadings(output),
            _ => PdfHeadings(output),
        };
        row.Checks.Equal($"{format} section headings", ExportSample.Sections, headings);
    }

    private static int HtmlHeadings(byte[] output)
    {
        var text = Encoding.UTF8.GetString(output);
        var start = text.IndexOf("<html", StringComparison.Ordinal);
        try
        {
            return XDocument.Parse(text[start..]).Descendants().Count(e => e.Name.LocalName == "h2" && e.Value.StartsWith("Section ", StringComparison.Ordinal));
        }
        catch (System.Xml.XmlException)
        {
            // pandoc writes HTML5 that is not always XML (void elements): count the elements themselves.
            return H2().Count(text);
        }
    }

    private static int DocxHeadings(byte[] output)
    {
        using var stream = new MemoryStream(output);
        using var word = WordprocessingDocument.Open(stream, false);
        return word.MainDocumentPart!.Document.Body!.Descendants<Paragraph>()
            .Count(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading2" && p.InnerText.StartsWith("Section ", StringComparison.Ordinal));
    }

    private static int PdfHeadings(byte[] output)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, output);
            using var process = Process.Start(new ProcessStartInfo("pdftotext", [path, "-"]) { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return Enumerable.Range(1, ExportSample.Sections).Count(s => text.Contains($"Section {s}: Regional review", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs a tool under GNU time; returns its wall time (ms) and peak RSS (KiB, the tool and its children).</summary>
    private static async Task<(double Milliseconds, long PeakKiB)> TimedAsync(string tool, string[] args, string folder, TimeSpan timeout)
    {
        var rssFile = Path.Combine(folder, "rss.txt");
        var info = new ProcessStartInfo("/usr/bin/time", new[] { "-f", "%M", "-o", rssFile, tool }.Concat(args))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var start = LatencyRecorder.Now();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        var ms = LatencyRecorder.MillisecondsSince(start);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} exited {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
        }

        var rss = long.Parse((await File.ReadAllLinesAsync(rssFile)).Last(l => l.Trim().Length > 0).Trim(), CultureInfo.InvariantCulture);
        return (ms, rss);
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    [GeneratedRegex("<h2[ >][^<]*Section ")]
    private static partial Regex H2();
}

using System.Net;
using System.Text;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Contracts.Documents;
using BacBos.Tests.Shared;

namespace BacBos.Integration.Tests.Documents;

/// <summary>
/// Exports on RabbitMQ + PostgreSQL + s3rver with every message delivered twice: each format is rendered, stored in the
/// tenant's files bucket and completed with a presigned URL that downloads it (read back with pdftotext, the OpenXML SDK
/// and an XML parser); a repeated request changes nothing; a document that is gone fails the export with the reason.
/// </summary>
public sealed class When_exporting_documents_on_the_real_servers(ExportSystem system) : IClassFixture<ExportSystem>
{
    private const string Markdown = "# Board Minutes\n\nAttendance was **full**.\n\n## Decisions\n\n1. Approve the budget\n2. Open the [Accra office](https://example.com/accra)\n\n| Vote | Count |\n|---|---|\n| Yes | 7 |\n";
    private static readonly HttpClient Http = new();

    [Theory]
    [InlineData("pdf")]
    [InlineData("docx")]
    [InlineData("html")]
    public async Task Should_store_the_file_in_the_tenant_bucket_and_download_it_through_the_presigned_url(string format)
    {
        var document = system.Documents.Add(system.TenantId, "Board Minutes", Markdown);

        var export = await system.ExportAsync(document.DocumentId, format);
        system.Track(export);

        Assert.True(export.CurrentState == "Completed", $"{export.CurrentState}: {export.FailedStep} {export.FailureReason}");
        Assert.Equal($"s3://{TenantBuckets.Files(system.TenantId)}/exports/{document.DocumentId:N}/{export.CorrelationId:N}/board-minutes.{format}", export.Location);
        var url = export.DownloadUrl!;
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=", url.Query, StringComparison.Ordinal);
        Assert.InRange(export.UrlExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(8), DateTimeOffset.UtcNow.AddMinutes(11));

        using var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(export.SizeBytes, bytes.LongLength);
        var text = format switch
        {
            "pdf" => ExportReaders.Flat(ExportReaders.PdfText(bytes)),
            "docx" => string.Join(' ', ExportReaders.DocxParagraphs(bytes).Select(p => $"{p.Style}:{p.Text}")),
            _ => Encoding.UTF8.GetString(bytes),
        };
        foreach (var expected in new[] { "Board Minutes", "full", "Decisions", "Approve the budget", "Accra office", "Yes" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        if (format == "docx")
        {
            Assert.Contains("Heading1:Board Minutes", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_leave_a_completed_export_unchanged_when_its_request_comes_again()
    {
        var document = system.Documents.Add(system.TenantId, "Repeat", Markdown);
        var first = await system.ExportAsync(document.DocumentId, DocumentExportFormat.Html);
        system.Track(first);

        await system.Bus.Publish(new RequestDocumentExport(first.CorrelationId, system.TenantId, document.DocumentId, DocumentExportFormat.Pdf, DateTimeOffset.UtcNow));
        // A later export goes through the same queues after the repeat, so once it has finished the repeat was handled.
        var later = await system.ExportAsync(document.DocumentId, DocumentExportFormat.Html);
        system.Track(later);
        var again = await system.FinishedAsync(first.CorrelationId);

        Assert.Equal(("Completed", "html", first.FinishedAt, first.Location, first.DownloadUrl), (again.CurrentState, again.Format, again.FinishedAt, again.Location, again.DownloadUrl));
    }

    [Fact]
    public async Task Should_fail_with_the_reason_when_the_document_is_gone()
    {
        var export = await system.ExportAsync(Guid.NewGuid(), DocumentExportFormat.Docx);

        Assert.Equal(("Failed", "render"), (export.CurrentState, export.FailedStep));
        Assert.Contains("no longer exists", export.FailureReason, StringComparison.Ordinal);
        Assert.Null(export.DownloadUrl);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using BacBos.Consumers.Documents.Exports.Storage;
using BacBos.Http.Tests.Infrastructure;
using BacBos.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace BacBos.Http.Tests.Documents;

/// <summary>
/// Exports in the embedded default: 202 + Location, the saga renders and stores into the local folder, the status shows
/// a signed, time-limited gateway link that downloads the file without an API key; the files open with real readers.
/// </summary>
public sealed class When_exporting_a_document(ExportGateway gateway) : IClassFixture<ExportGateway>
{
    private const string Markdown = "# Supplier Terms\n\nPayment within **30 days**.\n\n## Delivery\n\n- Lagos\n- Abuja\n\n| Item | Price |\n|---|---|\n| Rice | 40 |\n";

    [Theory]
    [InlineData("pdf", "application/pdf")]
    [InlineData("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("html", "text/html")]
    public async Task Should_complete_with_a_signed_link_that_downloads_the_file(string format, string contentType)
    {
        var tenant = await gateway.SharedActivationAsync();
        using var client = gateway.CreateClientWith(tenant.ApiKey);
        var document = gateway.Documents.Add(tenant.TenantId, "Supplier Terms", Markdown);

        var accepted = await ExportGateway.AcceptedAsync(client, document.DocumentId, format);
        // The 202 shows the export as it is when the answer is written: the embedded bus may already have started it.
        Assert.Contains(accepted.GetProperty("status").GetString(), new[] { "accepted", "rendering", "storing", "completed" });
        var status = await ExportGateway.FinishedAsync(client, document.DocumentId, accepted.GetProperty("export_id").GetGuid());

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal($"supplier-terms.{format}", status.GetProperty("file_name").GetString());
        Assert.Equal(3, status.GetProperty("revision").GetInt64());
        var expires = status.GetProperty("url_expires_at").GetDateTimeOffset();
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(61));
        var url = new Uri(status.GetProperty("download_url").GetString()!);
        Assert.StartsWith("/api/v1/downloads/exports/", url.AbsolutePath, StringComparison.Ordinal);

        using var anonymous = gateway.CreateClient();
        using var download = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.StartsWith(contentType, download.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(status.GetProperty("size_bytes").GetInt64(), bytes.LongLength);
        var text = format switch
        {
            "pdf" => ExportReaders.Flat(ExportReaders.PdfText(bytes)),
            "docx" => string.Join(' ', ExportReaders.DocxParagraphs(bytes).Select(p => p.Text)),
            _ => Encoding.UTF8.GetString(bytes),
        };
        foreach (var expected in new[] { "Supplier Terms", "30 days", "Delivery", "Abuja", "Rice" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_refuse_a_tampered_or_expired_link()
    {
        var tenant = await gateway.SharedActivationAsync();
        using var client = gateway.CreateClientWith(tenant.ApiKey);
        var document = gateway.Documents.Add(tenant.TenantId, "Links", Markdown);
        var exportId = (await ExportGateway.AcceptedAsync(client, document.DocumentId, "html")).GetProperty("export_id").GetGuid();
        var url = (await ExportGateway.FinishedAsync(client, document.DocumentId, exportId)).GetProperty("download_url").GetString()!;
        using var anonymous = gateway.CreateClient();

        using var tampered = await anonymous.GetAsync(url.Replace("expires=", "expires=9", StringComparison.Ordinal));
        var storage = gateway.Services.GetRequiredService<IExportStorage>();
        var expired = await storage.DownloadUrlAsync(new ExportObject(tenant.TenantId, document.DocumentId, exportId, "links.html"), DateTimeOffset.UtcNow.AddSeconds(-5), CancellationToken.None);
        using var late = await anonymous.GetAsync(expired);
        using var elsewhere = await anonymous.GetAsync(url.Replace(exportId.ToString("N"), Guid.NewGuid().ToString("N"), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Should_record_why_an_export_failed()
    {
        var tenant = await gateway.SharedActivationAsync();
        using var client = gateway.CreateClientWith(tenant.ApiKey);
        var document = gateway.Documents.Add(tenant.TenantId, "Deleted meanwhile", Markdown, vanishing: true);

        var exportId = (await ExportGateway.AcceptedAsync(client, document.DocumentId, "pdf")).GetProperty("export_id").GetGuid();
        var status = await ExportGateway.FinishedAsync(client, document.DocumentId, exportId);

        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("render", status.GetProperty("failure").GetProperty("step").GetString());
        Assert.Contains("no longer exists", status.GetProperty("failure").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("download_url").ValueKind);
    }

    [Fact]
    public async Task Should_answer_a_repeated_idempotency_key_with_the_same_export()
    {
        var tenant = await gateway.SharedActivationAsync();
        using var client = gateway.CreateClientWith(tenant.ApiKey);
        var document = gateway.Documents.Add(tenant.TenantId, "Once", Markdown);

        var first = await ExportGateway.AcceptedAsync(client, document.DocumentId, "docx", "export-once-1");
        var again = await ExportGateway.AcceptedAsync(client, document.DocumentId, "docx", "export-once-1");
        using var other = await client.SendAsync(ExportGateway.Export(document.DocumentId, """{"format":"pdf"}""", "export-once-1"));

        Assert.Equal(first.GetProperty("export_id").GetGuid(), again.GetProperty("export_id").GetGuid());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("idempotency-key-reused", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("completed", (await ExportGateway.FinishedAsync(client, document.DocumentId, first.GetProperty("export_id").GetGuid())).GetProperty("status").GetString());
    }
}

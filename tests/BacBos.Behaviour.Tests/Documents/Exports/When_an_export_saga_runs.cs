using BacBos.Contracts.Documents;

namespace BacBos.Behaviour.Tests.Documents.Exports;

/// <summary>The export saga on the in-memory harness: render → store → completed; failures end it with the step and the reason.</summary>
public class When_an_export_saga_runs
{
    private const string Markdown = "# Price List\n\n- Rice\n- Beans\n";

    [Fact]
    public async Task Should_render_then_store_then_complete_with_the_download_url()
    {
        await using var h = await ExportSagaHarness.StartAsync();
        var document = h.Documents.Add(h.TenantId, "Price List", Markdown);

        var exportId = await h.RequestAsync(document.DocumentId, DocumentExportFormat.Docx);
        var state = await h.WaitForStateAsync(exportId, m => m.Completed);

        var key = $"exports/{document.DocumentId:N}/{exportId:N}/price-list.docx";
        Assert.Equal($"memory://{h.TenantId:N}/{key}", state.Location);
        Assert.Equal(h.Storage.Files[key].LongLength, state.SizeBytes);
        Assert.StartsWith($"https://downloads.test/{key}", state.DownloadUrl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(("price-list.docx", 3L), (state.FileName, state.Revision));
        Assert.True(await h.Harness.Published.Any<DocumentExportCompleted>(m => m.Context.Message.ExportId == exportId && m.Context.Message.DownloadUrl == state.DownloadUrl));
    }

    [Fact]
    public async Task Should_ignore_late_and_repeated_messages_once_completed()
    {
        await using var h = await ExportSagaHarness.StartAsync();
        var document = h.Documents.Add(h.TenantId, "Price List", Markdown);
        var exportId = await h.RequestAsync(document.DocumentId, DocumentExportFormat.Html);
        var completed = await h.WaitForStateAsync(exportId, m => m.Completed);
        var url = completed.DownloadUrl;

        await h.Harness.Bus.Publish(new DocumentExportRendered(exportId, "other.html", "text/html", [1, 2, 3], 9));
        await h.Harness.Bus.Publish(new DocumentExportFailed(exportId, "store", "late failure"));
        await h.Harness.Bus.Publish(new RequestDocumentExport(exportId, h.TenantId, document.DocumentId, DocumentExportFormat.Pdf, DateTimeOffset.UtcNow));
        Assert.True(await h.Harness.Consumed.Any<DocumentExportFailed>(m => m.Context.Message.Reason == "late failure"));
        Assert.True(await h.Harness.Consumed.Any<RequestDocumentExport>(m => m.Context.Message.Format == DocumentExportFormat.Pdf));

        var state = h.Saga.Sagas.Contains(exportId)!;
        Assert.Equal(("Completed", url, "html", (string?)null), (state.CurrentState, state.DownloadUrl, state.Format, state.FailureReason));
        Assert.Single(h.Harness.Published.Select<StoreDocumentExport>(m => m.Context.Message.ExportId == exportId));
    }

    [Fact]
    public async Task Should_fail_with_the_store_fault_after_the_store_consumer_throws()
    {
        await using var h = await ExportSagaHarness.StartAsync();
        h.Storage.FailWith = "bucket refused the object";
        var document = h.Documents.Add(h.TenantId, "Price List", Markdown);

        var exportId = await h.RequestAsync(document.DocumentId, DocumentExportFormat.Pdf);
        var state = await h.WaitForStateAsync(exportId, m => m.Failed);

        Assert.Equal("store", state.FailedStep);
        Assert.Contains("bucket refused the object", state.FailureReason, StringComparison.Ordinal);
        Assert.Null(state.DownloadUrl);
        Assert.NotNull(state.FinishedAt);
    }

    [Theory]
    [InlineData("odt", "unknown format 'odt'")]
    [InlineData("pdf", "no longer exists")]
    public async Task Should_fail_in_the_render_step_with_the_reason(string format, string reason)
    {
        await using var h = await ExportSagaHarness.StartAsync();

        var exportId = await h.RequestAsync(format == "pdf" ? Guid.NewGuid() : h.Documents.Add(h.TenantId, "X", Markdown).DocumentId, format);
        var state = await h.WaitForStateAsync(exportId, m => m.Failed);

        Assert.Equal("render", state.FailedStep);
        Assert.Contains(reason, state.FailureReason, StringComparison.Ordinal);
        Assert.Empty(h.Harness.Published.Select<StoreDocumentExport>(m => m.Context.Message.ExportId == exportId));
    }

    [Fact]
    public async Task Should_read_documents_only_of_the_requesting_tenant()
    {
        await using var h = await ExportSagaHarness.StartAsync();
        var someoneElses = h.Documents.Add(Guid.NewGuid(), "Theirs", Markdown);

        var exportId = await h.RequestAsync(someoneElses.DocumentId, DocumentExportFormat.Html);
        var state = await h.WaitForStateAsync(exportId, m => m.Failed);

        Assert.Contains("no longer exists", state.FailureReason, StringComparison.Ordinal);
        Assert.Empty(h.Storage.Files);
    }

    [Theory]
    [InlineData("Quarterly Plan", "quarterly-plan")]
    [InlineData("  Résumé — Ada's CV (v2) ", "resume-adas-cv-v2")]
    [InlineData("***", "document")]
    public void Should_name_the_file_after_the_title(string title, string stem) =>
        Assert.Equal(stem, BacBos.Consumers.Documents.Exports.RenderDocumentExportConsumer.FileStem(title));
}

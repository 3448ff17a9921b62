using BacBos.Consumers.Documents.Exports.Storage;
using BacBos.Contracts.Documents;
using MassTransit;

namespace BacBos.Consumers.Documents.Exports;

/// <summary>
/// Export step 2: puts the rendered file into the tenant's storage under a key made of document and export id (a
/// redelivery overwrites the same object with the same bytes) and answers with a download URL valid for
/// <see cref="DocumentExportOptions.UrlLifetime"/>. Storage errors throw: the endpoint retries them, and a fault after
/// the last retry fails the export with its reason.
/// </summary>
public sealed class StoreDocumentExportConsumer(IExportStorage storage, DocumentExportOptions options, TimeProvider time) : IConsumer<StoreDocumentExport>
{
    public const string Step = "store";

    public async Task Consume(ConsumeContext<StoreDocumentExport> context)
    {
        var command = context.Message;
        if (command.Content.LongLength > options.MaxFileBytes)
        {
            await context.Publish(
                new DocumentExportFailed(command.ExportId, Step, $"the rendered file has {command.Content.LongLength} bytes, more than the limit of {options.MaxFileBytes}"),
                context.CancellationToken);
            return;
        }

        var file = new ExportObject(command.TenantId, command.DocumentId, command.ExportId, command.FileName);
        var location = await storage.PutAsync(file, command.Content, command.ContentType, context.CancellationToken);
        var expiresAt = time.GetUtcNow() + options.UrlLifetime;
        var url = await storage.DownloadUrlAsync(file, expiresAt, context.CancellationToken);
        await context.Publish(new DocumentExportStored(command.ExportId, location, command.Content.LongLength, url, expiresAt), context.CancellationToken);
    }
}

using BacBos.Contracts.Documents;
using BacBos.Platform.Data;
using BacBos.Platform.Outbox;
using BacBos.Platform.Sagas;
using BacBos.Sagas.Documents;
using MassTransit;

namespace BacBos.Gateway.Documents.Exports;

/// <summary>
/// Accepts an export: in one transaction it resolves the <c>Idempotency-Key</c> (same key, document and format = same
/// export), writes the export record (the saga instance, state <c>Accepted</c>) and stores <see cref="RequestDocumentExport"/>
/// in the bus outbox. So the status is readable as soon as the 202 is sent, and nothing is recorded without its command.
/// A replay stores the command again; the saga ignores it once it has started.
/// </summary>
public sealed class DocumentExportIntake(Database database, BusOutbox outbox, SagaDocumentStore<DocumentExportState> store, TimeProvider time)
{
    public enum Outcome
    {
        Accepted,
        KeyReusedWithDifferentBody,
    }

    public async Task<(Outcome Outcome, Guid ExportId)> SubmitAsync(Guid tenantId, Guid documentId, string format, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var exportId = NewId.NextGuid();
        var now = time.GetUtcNow();
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            if (idempotencyKey is not null)
            {
                var claim = await IdempotencyKeys.ClaimAsync(
                    session, $"document-export:{tenantId:N}", idempotencyKey, IdempotencyKeys.Hash(new { documentId, format }), exportId, now, cancellationToken);
                if (claim.Outcome == IdempotencyKeys.Outcome.Mismatch)
                {
                    return (Outcome.KeyReusedWithDifferentBody, claim.ResourceId);
                }

                exportId = claim.ResourceId;
            }

            var request = new RequestDocumentExport(exportId, tenantId, documentId, format, now);
            await store.TryInsertAsync(session, DocumentExportState.Accept(request), cancellationToken);
            await outbox.PublishAsync(session, request, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        outbox.Signal();
        return (Outcome.Accepted, exportId);
    }
}

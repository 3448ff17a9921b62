using MassTransit;

namespace BacBos.Sagas.Documents;

/// <summary>Endpoint <c>bacbos-document-export-state</c>; retry and outbox come from the shared endpoint policy.</summary>
public sealed class DocumentExportStateDefinition : SagaDefinition<DocumentExportState>;

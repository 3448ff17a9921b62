using BacBos.Platform.Sagas;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Sagas.Documents;

/// <summary>Composition of the export saga.</summary>
public static class DocumentExportSagaRegistration
{
    /// <summary>The export records (saga documents) for processes that accept exports or show their status.</summary>
    public static IServiceCollection AddDocumentExportSagaStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SagaDocumentStore<DocumentExportState>>();
        return services;
    }

    /// <summary>Registers the export state machine on the bus with the SQL saga repository.</summary>
    public static void AddDocumentExportSaga(this IBusRegistrationConfigurator bus) =>
        bus.AddSagaStateMachine<DocumentExportStateMachine, DocumentExportState, DocumentExportStateDefinition>().SqlRepository();
}

using BacBos.Consumers.Documents.Editing;
using BacBos.Consumers.Documents.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Consumers.Documents;

/// <summary>Composition of the documents store: storage, the writer service, live editing and the <see cref="IDocumentSource"/> the export saga reads.</summary>
public static class DocumentsRegistration
{
    public static IServiceCollection AddDocumentServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration.GetSection(DocumentsOptions.Section).Get<DocumentsOptions>() ?? new DocumentsOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(DocumentsOptions.Clock, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.TryAddSingleton<DocumentStore>();
        services.TryAddSingleton<DocumentEditing>();
        services.TryAddSingleton<DocumentService>();
        services.TryAddSingleton<IDocumentSource, StoredDocumentSource>();
        return services;
    }
}

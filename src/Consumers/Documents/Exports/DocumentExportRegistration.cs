using BacBos.Consumers.Activation.CompileResult;
using BacBos.Consumers.Activation.Drivers.Data.S3;
using BacBos.Consumers.Documents.Exports.Rendering;
using BacBos.Consumers.Documents.Exports.Storage;
using BacBos.Platform.Data;
using BacBos.Platform.Security;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Consumers.Documents.Exports;

/// <summary>Composition of document exports: renderers, the export store (S3 when configured, else a local folder), consumers.</summary>
public static class DocumentExportRegistration
{
    /// <summary>
    /// Renderers, options and the export store, for the gateway (status, fresh URLs, local downloads) and the worker.
    /// The store is S3 when <c>Drivers:S3:Endpoint</c> is set, otherwise the local folder.
    /// </summary>
    public static IServiceCollection AddDocumentExportServices(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DocumentExportOptions.Section).Get<DocumentExportOptions>() ?? new DocumentExportOptions();
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentRenderer, HtmlDocumentRenderer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentRenderer, DocxDocumentRenderer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentRenderer, PdfDocumentRenderer>());

        var s3 = configuration.GetSection(S3Options.Section).Get<S3Options>();
        if (!string.IsNullOrWhiteSpace(s3?.Endpoint))
        {
            services.TryAddSingleton<IExportStorage>(sp => new S3ExportStorage(s3, sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            var dataDirectory = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.DataDirectory ?? "./data";
            var folder = Path.GetFullPath(options.LocalFolder ?? Path.Combine(dataDirectory, "exports"));
            var baseUrl = new Uri(options.PublicBaseUrl
                ?? configuration.GetSection(PublicUrlOptions.Section).Get<PublicUrlOptions>()?.ApiBaseUrl
                ?? new PublicUrlOptions().ApiBaseUrl);
            services.TryAddSingleton(sp => new LocalFolderExportStorage(folder, baseUrl, sp.GetRequiredService<SecretProtector>()));
            services.TryAddSingleton<IExportStorage>(sp => sp.GetRequiredService<LocalFolderExportStorage>());
        }

        return services;
    }

    /// <summary>The render and store consumers (queues <c>bacbos-render-document-export</c>, <c>bacbos-store-document-export</c>).</summary>
    public static void AddDocumentExportConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RenderDocumentExportConsumer>();
        bus.AddConsumer<StoreDocumentExportConsumer>();
    }
}

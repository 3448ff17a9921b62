using BacBos.Consumers;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Exports;
using BacBos.Consumers.Payments;
using BacBos.Gateway.Activation;
using BacBos.Gateway.Auth;
using BacBos.Gateway.Crm;
using BacBos.Gateway.Documents;
using BacBos.Gateway.Documents.Exports;
using BacBos.Gateway.Http;
using BacBos.Gateway.Invoicing;
using BacBos.Gateway.Payments;
using BacBos.Gateway.Tenants;
using BacBos.Platform.Hosting;
using BacBos.Platform.Messaging;
using BacBos.Sagas;
using BacBos.Sagas.Documents;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;
using Yarp.ReverseProxy.Transforms;

namespace BacBos.Gateway;

/// <summary>Composition of the gateway: HTTP conventions, authentication, API endpoints, YARP, and (embedded) the worker.</summary>
public static class GatewayRegistration
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var options = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageUnavailableHandler>();
        services.AddOpenApi(o => o.AddSchemaTransformer<OptionalSchemaTransformer>());

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthenticationHandler.OperatorRole, p => p.RequireRole(ApiKeyAuthenticationHandler.OperatorRole))
            .AddPolicy(ApiKeyAuthenticationHandler.TenantRole, p => p.RequireRole(ApiKeyAuthenticationHandler.TenantRole));

        // Routes, clusters and their authorization policies live in configuration (ReverseProxy section).
        // The one coded transform: never forward our own credential to a proxied service.
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddTransforms(t => t.AddRequestTransform(ctx =>
            {
                ctx.ProxyRequest.Headers.Remove("X-Api-Key");
                if (ctx.ProxyRequest.Headers.Authorization?.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) == true)
                {
                    ctx.ProxyRequest.Headers.Authorization = null;
                }

                return ValueTask.CompletedTask;
            }));

        services.AddScoped<ActivationIntake>();
        services.AddSingleton<CredentialVault>();
        services.AddActivationSagaStore();
        services.AddCrmServices(configuration);
        services.AddPaymentServices(configuration).AddPaymentSagaServices(configuration);
        services.AddInvoicingServices(configuration);
        services.AddDocumentServices(configuration).AddSingleton<SessionTokens>().AddDocumentOwnership(configuration);
        services.AddDocumentExportServices(configuration).AddDocumentExportSagaStore().AddScoped<DocumentExportIntake>();

        if (options.HostWorker)
        {
            services.AddActivationSagaServices(configuration).AddActivationConsumerServices(configuration).AddCrmKafka(configuration);
        }

        services.AddBacBosBus(configuration, bus =>
        {
            if (options.HostWorker)
            {
                bus.AddActivationSaga();
                bus.AddActivationConsumers();
                bus.AddCrmKafkaBridge(configuration);
                bus.AddCrmConsumers(configuration);
                bus.AddPaymentSaga();
                bus.AddPaymentConsumers(configuration);
                bus.AddInvoicingConsumers(configuration);
                bus.AddDocumentExportSaga();
                bus.AddDocumentExportConsumers();
            }
        });
        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("BacBos API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        // A gateway without consumers accepts requests through its bus outbox even while the broker is away, so only a
        // gateway that also hosts the worker lets the bus decide its readiness.
        app.MapBacBosOperationalEndpoints(busGatesReadiness: app.Services.GetRequiredService<GatewayOptions>().HostWorker);
        app.MapActivationEndpoints();
        app.MapTenantEndpoints();
        app.MapCrmEndpoints();
        app.MapPaymentEndpoints();
        app.MapInvoiceEndpoints();
        app.UseDocumentEndpoints();
        app.MapDocumentExportEndpoints();
        app.MapReverseProxy();
        return app;
    }
}

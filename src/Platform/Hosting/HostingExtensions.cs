using BacBos.Platform.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BacBos.Platform.Hosting;

/// <summary>What every BacBos process exposes: traces, metrics (<c>/metrics</c>), health (<c>/health/live</c>, <c>/health/ready</c>).</summary>
public static class HostingExtensions
{
    public const string MeterName = "BacBos";

    public static IHostApplicationBuilder AddBacBosObservability(this IHostApplicationBuilder builder, string serviceName)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .AddSource("MassTransit")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/metrics") && !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter("MassTransit", MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        // OTLP export only when an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(t => t.AddOtlpExporter()).WithMetrics(m => m.AddOtlpExporter());
        }

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <param name="app">The endpoints.</param>
    /// <param name="busGatesReadiness">
    /// Whether MassTransit's bus check (tag <c>masstransit</c>: every receive endpoint consuming) is part of readiness.
    /// </param>
    public static IEndpointRouteBuilder MapBacBosOperationalEndpoints(this IEndpointRouteBuilder app, bool busGatesReadiness = true)
    {
        // Live: the process can do its work at all (only checks tagged "live", e.g. a bus that stayed down too long).
        // Ready: every dependency answers and every receive endpoint consumes; Degraded (an endpoint reconnecting)
        // is not ready either. Both answer JSON naming each check, so an operator sees which part is unhealthy.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = HealthJson.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready") && (busGatesReadiness || !c.Tags.Contains("masstransit")),
            ResponseWriter = HealthJson.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private sealed class DatabaseHealthCheck(Database database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy($"{database.Provider} reachable");
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy($"{database.Provider} unreachable", ex);
            }
        }
    }
}

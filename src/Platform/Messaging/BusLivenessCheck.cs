using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BacBos.Platform.Messaging;

/// <summary>
/// Liveness of the bus (<c>/health/live</c>, tag <c>live</c>). A broker outage makes the bus Degraded/Unhealthy and the
/// process not ready, but alive: MassTransit reconnects by itself with a growing back-off (measured here: 15–40 s
/// after RabbitMQ is back). Only when the bus has stayed unhealthy for longer than <see cref="BusOptions.UnhealthyLivenessAfter"/>
/// — an endpoint whose receive transport gave up, a connection that never recovers — does this check fail, so the
/// orchestrator restarts the process (unacknowledged messages return to their queues; the inbox makes the redelivery
/// harmless).
/// </summary>
public sealed class BusLivenessCheck(IBusControl bus, BusOptions options, TimeProvider time) : IHealthCheck
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _unhealthySince;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        var now = time.GetUtcNow();
        DateTimeOffset? since;
        lock (_gate)
        {
            _unhealthySince = health.Status == BusHealthStatus.Healthy ? null : _unhealthySince ?? now;
            since = _unhealthySince;
        }

        if (since is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("bus healthy"));
        }

        var duration = now - since.Value;
        var description = $"bus {health.Status} for {duration.TotalSeconds:0} s: {health.Description}";
        return Task.FromResult(duration > options.UnhealthyLivenessAfter
            ? HealthCheckResult.Unhealthy(description + $" (longer than {options.UnhealthyLivenessAfter.TotalSeconds:0} s: restart the process)")
            : HealthCheckResult.Healthy(description + " (reconnecting)"));
    }
}

using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers;

/// <summary>Stands in for a driver that has no configuration: every apply reports "skipped: {reason}".</summary>
public abstract class NotConfiguredDriver(string name, string configurationHint) : IProvisioningDriver
{
    public string Name => name;

    public Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Skip($"{name} driver not configured ({configurationHint})"));

    public Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken) =>
        Task.FromResult($"{name}: nothing to remove (driver not configured)");
}

public sealed class NotConfiguredCacheDriver() : NotConfiguredDriver("redis", "set Drivers:Redis:ConnectionString"), ICacheDriver;

public sealed class NotConfiguredObjectStorageDriver() : NotConfiguredDriver("s3", "set Drivers:S3:Endpoint"), IObjectStorageDriver;

public sealed class NotConfiguredAnalyticsDriver() : NotConfiguredDriver("clickhouse", "set Drivers:ClickHouse:Url"), IAnalyticsDriver;

public sealed class NotConfiguredIntegrationsDriver() : NotConfiguredDriver("integrations", "set Drivers:Stripe, Drivers:Paystack, Drivers:WhatsApp or Drivers:Email"), IIntegrationsDriver;

public sealed class NotConfiguredDnsTlsDriver() : NotConfiguredDriver("dns-tls", "set Drivers:Kubernetes and Drivers:Dns"), IDnsTlsDriver;

using BacBos.Consumers.Activation.Steps;

namespace BacBos.Consumers.Activation.Drivers;

/// <summary>
/// An adapter that provisions one kind of tenant resource. Apply is idempotent (a repeat is a no-op that still
/// succeeds); Remove undoes Apply and succeeds when there is nothing to remove. A driver that is not configured
/// answers "skipped" with the reason — never a fake success.
/// </summary>
public interface IProvisioningDriver
{
    /// <summary>Short name shown in step outputs (e.g. <c>kubernetes</c>, <c>redis</c>).</summary>
    string Name { get; }

    Task<StepOutcome> ApplyAsync(TenantContext tenant, CancellationToken cancellationToken);

    Task<string> RemoveAsync(TenantContext tenant, CancellationToken cancellationToken);
}

/// <summary>Step 4: namespace, network policies, RBAC, quotas.</summary>
public interface INamespaceDriver : IProvisioningDriver;

/// <summary>Step 5: the tenant's cache namespace.</summary>
public interface ICacheDriver : IProvisioningDriver;

/// <summary>Step 5: the tenant's object-storage buckets.</summary>
public interface IObjectStorageDriver : IProvisioningDriver;

/// <summary>Step 5: the tenant's analytics database and tables.</summary>
public interface IAnalyticsDriver : IProvisioningDriver;

/// <summary>Step 6: per-module deployments.</summary>
public interface IServiceDeploymentDriver : IProvisioningDriver;

/// <summary>Step 7: payment webhooks, messaging channels, email sending domain.</summary>
public interface IIntegrationsDriver : IProvisioningDriver;

/// <summary>Step 9: DNS records and TLS certificates.</summary>
public interface IDnsTlsDriver : IProvisioningDriver;

/// <summary>Step 10: AI copilot configuration.</summary>
public interface ICopilotDriver : IProvisioningDriver;

using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.ProvisionInfrastructure;

/// <summary>Step 4: the tenant's namespace, network policies, RBAC and quotas through the configured namespace driver.</summary>
public sealed class ProvisionNamespaceConsumer(INamespaceDriver driver, ProvisioningLog log, ILogger<ProvisionNamespaceConsumer> logger, BusOptions bus)
    : DriverStepConsumer<Contracts.Activation.ProvisionNamespace, DeprovisionNamespace, INamespaceDriver>(driver, log, logger, bus);

using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.DeployServices;

/// <summary>Step 6: one deployment per enabled module through the configured deployment driver.</summary>
public sealed class DeployServicesConsumer(IServiceDeploymentDriver driver, ProvisioningLog log, ILogger<DeployServicesConsumer> logger, BusOptions bus)
    : DriverStepConsumer<Contracts.Activation.DeployServices, RemoveServices, IServiceDeploymentDriver>(driver, log, logger, bus);

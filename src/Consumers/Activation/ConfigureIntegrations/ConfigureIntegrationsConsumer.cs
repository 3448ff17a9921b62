using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.ConfigureIntegrations;

/// <summary>Step 7: payment webhooks, messaging channels and the email sending domain.</summary>
public sealed class ConfigureIntegrationsConsumer(IIntegrationsDriver driver, ProvisioningLog log, ILogger<ConfigureIntegrationsConsumer> logger, BusOptions bus)
    : DriverStepConsumer<Contracts.Activation.ConfigureIntegrations, RemoveIntegrations, IIntegrationsDriver>(driver, log, logger, bus);

using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.EnableCopilots;

/// <summary>Step 10: AI copilot configuration per enabled module.</summary>
public sealed class EnableCopilotsConsumer(ICopilotDriver driver, ProvisioningLog log, ILogger<EnableCopilotsConsumer> logger, BusOptions bus)
    : DriverStepConsumer<Contracts.Activation.EnableCopilots, DisableCopilots, ICopilotDriver>(driver, log, logger, bus);

using BacBos.Consumers.Activation.Drivers;
using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.ConfigureDnsAndTls;

/// <summary>Step 9: DNS records and TLS certificates for the tenant's domains.</summary>
public sealed class ConfigureDnsAndTlsConsumer(IDnsTlsDriver driver, ProvisioningLog log, ILogger<ConfigureDnsAndTlsConsumer> logger, BusOptions bus)
    : DriverStepConsumer<Contracts.Activation.ConfigureDnsAndTls, RemoveDnsAndTls, IDnsTlsDriver>(driver, log, logger, bus);

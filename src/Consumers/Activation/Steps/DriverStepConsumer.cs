using BacBos.Consumers.Activation.Drivers;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Steps;

/// <summary>
/// A step that is exactly one driver call (steps 4, 6, 7, 9, 10): apply forward, remove on compensation. When the
/// driver reports that it changed something (<c>changed</c> output above zero) the change goes into the ledger.
/// </summary>
public abstract class DriverStepConsumer<TCommand, TCompensation, TDriver>(TDriver driver, ProvisioningLog log, ILogger logger, BusOptions bus)
    : CompensableStepConsumer<TCommand, TCompensation>(logger, bus)
    where TCommand : class, IActivationStepCommand
    where TCompensation : class, IActivationCompensationCommand
    where TDriver : IProvisioningDriver
{
    protected override async Task<StepOutcome> Execute(TCommand command, CancellationToken cancellationToken)
    {
        var tenant = TenantContext.From(command);
        var outcome = await driver.ApplyAsync(tenant, cancellationToken);
        if (!outcome.Skipped && outcome.Outputs?.TryGetValue("changed", out var changed) == true && changed != "0")
        {
            await log.RecordAsync(tenant, command.Step, $"{driver.Name}-applied", outcome.Detail, cancellationToken);
        }

        return outcome;
    }

    protected override Task<string> Compensate(TCompensation command, CancellationToken cancellationToken) =>
        driver.RemoveAsync(TenantContext.From(command), cancellationToken);
}

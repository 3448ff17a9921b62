using BacBos.Consumers.Activation.Steps;
using BacBos.Contracts.Activation;
using BacBos.Platform.Messaging;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.ValidateInput;

/// <summary>Step 1: the worker validates again — activations can arrive from the bus, not only through the gateway.</summary>
public sealed class ValidateInputConsumer(ILogger<ValidateInputConsumer> logger, BusOptions bus)
    : ActivationStepConsumer<ValidateActivationInput>(logger, bus)
{
    protected override Task<StepOutcome> Execute(ValidateActivationInput command, CancellationToken cancellationToken)
    {
        var errors = ActivationInputValidator.Validate(command.Input);
        if (errors.Count > 0)
        {
            throw new PermanentStepException("invalid input: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }

        return Task.FromResult(StepOutcome.Done("input valid"));
    }
}

using BacBos.Contracts.Activation;
using BacBos.Platform.Hosting;
using BacBos.Platform.Messaging;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Steps;

/// <summary>
/// Runs one activation step and replies. A <see cref="PermanentStepException"/> replies "failed, permanent" at once;
/// any other exception is left to the endpoint's retry policy, and on the last retry it replies "failed, transient"
/// so the saga decides (retry the step or compensate) instead of waiting for the step's deadline.
/// </summary>
public abstract class ActivationStepConsumer<TCommand>(ILogger logger, BusOptions bus) : IConsumer<TCommand>
    where TCommand : class, IActivationStepCommand
{
    protected ILogger Logger => logger;

    /// <summary>True on the last immediate retry of the last scheduled redelivery: after this, the message would go to <c>_error</c>.</summary>
    protected bool IsLastRetry(ConsumeContext context) =>
        context.GetRetryAttempt() >= bus.RetryIntervalsMs.Length && context.GetRedeliveryCount() >= bus.RedeliveryIntervalsMs.Length;

    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var command = context.Message;
        using var scope = StepLogScope.Begin(logger, command.ActivationId, command.TenantId, command.Step);
        var started = BacBosMetrics.Now();
        try
        {
            var outcome = await Execute(command, context.CancellationToken);
            BacBosMetrics.StepFinished(command.Step.ToString(), outcome.Skipped ? "skipped" : "completed", BacBosMetrics.Since(started));
            logger.LogInformation("Step {Step} attempt {Attempt}: {Outcome} ({Detail})", command.Step, command.Attempt, outcome.Skipped ? "skipped" : "completed", outcome.Detail);
            await Reply(context, outcome);
        }
        catch (PermanentStepException ex)
        {
            BacBosMetrics.StepFinished(command.Step.ToString(), "failed", BacBosMetrics.Since(started));
            logger.LogWarning("Step {Step} attempt {Attempt} failed permanently: {Reason}", command.Step, command.Attempt, ex.Message);
            await context.Publish(new ActivationStepFailed(command.ActivationId, command.Step, command.Attempt, ex.Message, Transient: false));
        }
        catch (Exception ex) when (IsLastRetry(context) && !context.CancellationToken.IsCancellationRequested)
        {
            BacBosMetrics.StepFinished(command.Step.ToString(), "error", BacBosMetrics.Since(started));
            logger.LogError(ex, "Step {Step} attempt {Attempt} failed after endpoint retries", command.Step, command.Attempt);
            await context.Publish(new ActivationStepFailed(command.ActivationId, command.Step, command.Attempt, $"{ex.GetType().Name}: {ex.Message}", Transient: true));
        }
    }

    protected abstract Task<StepOutcome> Execute(TCommand command, CancellationToken cancellationToken);

    protected virtual Task Reply(ConsumeContext<TCommand> context, StepOutcome outcome) =>
        context.Publish(new ActivationStepCompleted(
            context.Message.ActivationId,
            context.Message.Step,
            context.Message.Attempt,
            outcome.Skipped,
            outcome.Detail,
            outcome.Outputs));
}

/// <summary>A step that changes something outside the saga and can therefore be undone.</summary>
public abstract class CompensableStepConsumer<TCommand, TCompensation>(ILogger logger, BusOptions bus)
    : ActivationStepConsumer<TCommand>(logger, bus), IConsumer<TCompensation>
    where TCommand : class, IActivationStepCommand
    where TCompensation : class, IActivationCompensationCommand
{
    public async Task Consume(ConsumeContext<TCompensation> context)
    {
        var command = context.Message;
        using var scope = StepLogScope.Begin(Logger, command.ActivationId, command.TenantId, command.Step);
        try
        {
            var detail = await Compensate(command, context.CancellationToken);
            Logger.LogInformation("Step {Step} compensated: {Detail}", command.Step, detail);
            await context.Publish(new ActivationStepCompensated(command.ActivationId, command.Step, detail));
        }
        catch (Exception ex) when (IsLastRetry(context) && !context.CancellationToken.IsCancellationRequested)
        {
            Logger.LogError(ex, "Compensation of step {Step} failed after endpoint retries", command.Step);
            await context.Publish(new ActivationStepCompensationFailed(command.ActivationId, command.Step, $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    /// <summary>Undoes the step; must succeed when there is nothing (left) to undo. Returns what it removed.</summary>
    protected abstract Task<string> Compensate(TCompensation command, CancellationToken cancellationToken);
}

/// <summary>Structured logging scope carrying the activation's identifiers.</summary>
public static class StepLogScope
{
    public static IDisposable? Begin(ILogger logger, Guid activationId, Guid tenantId, ActivationStep step) =>
        logger.BeginScope(new Dictionary<string, object>
        {
            ["ActivationId"] = activationId,
            ["TenantId"] = tenantId,
            ["Step"] = step.ToString(),
        });
}

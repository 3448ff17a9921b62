using System.Collections.Concurrent;
using BacBos.Contracts.Activation;

namespace BacBos.Behaviour.Tests.Activation.Saga;

/// <summary>A step command as the fake step consumer received it.</summary>
public sealed record ReceivedStepCommand(ActivationStep Step, int Attempt, IReadOnlyList<string> Modules);

/// <summary>
/// What the fake step consumers answer, per step, and what they received. Every step completes unless scripted
/// otherwise; step 3 reports <see cref="ActivationSagaTestData.PresetModules"/>; step 11 answers with a compiled result.
/// </summary>
public sealed class ActivationScript
{
    private readonly Dictionary<ActivationStep, Plan> _plans = [];
    private readonly HashSet<ActivationStep> _failingCompensations = [];
    private readonly HashSet<ActivationStep> _silentCompensations = [];
    private readonly ConcurrentQueue<ReceivedStepCommand> _commands = new();
    private readonly ConcurrentQueue<ActivationStep> _compensations = new();

    private enum Outcome
    {
        Complete,
        Skip,
        FailPermanently,
        NeverAnswer,
    }

    public IReadOnlyList<ReceivedStepCommand> Commands => [.. _commands];

    public IReadOnlyList<ActivationStep> Compensations => [.. _compensations];

    public static string SkipReason(ActivationStep step) => $"no driver configured for {step}";

    public static string PermanentReason(ActivationStep step) => $"{step} rejected the request";

    public ActivationScript Skip(params ActivationStep[] steps)
    {
        foreach (var step in steps)
        {
            _plans[step] = PlanFor(step) with { Outcome = Outcome.Skip };
        }

        return this;
    }

    public ActivationScript FailPermanently(ActivationStep step)
    {
        _plans[step] = PlanFor(step) with { Outcome = Outcome.FailPermanently };
        return this;
    }

    /// <summary>The first <paramref name="times"/> attempts fail transiently; later ones follow the rest of the plan.</summary>
    public ActivationScript FailTransiently(ActivationStep step, int times)
    {
        _plans[step] = PlanFor(step) with { TransientFailures = times };
        return this;
    }

    /// <summary>Receives the command and never replies (a lost message or a hung worker).</summary>
    public ActivationScript NeverAnswer(ActivationStep step)
    {
        _plans[step] = PlanFor(step) with { Outcome = Outcome.NeverAnswer };
        return this;
    }

    public ActivationScript FailCompensation(ActivationStep step)
    {
        _failingCompensations.Add(step);
        return this;
    }

    /// <summary>Receives the compensation command and never replies.</summary>
    public ActivationScript NeverAnswerCompensation(ActivationStep step)
    {
        _silentCompensations.Add(step);
        return this;
    }

    /// <summary>Records the command and returns the reply to publish, or null for no reply.</summary>
    public object? Answer(IActivationStepCommand command)
    {
        _commands.Enqueue(new ReceivedStepCommand(command.Step, command.Attempt, command.Modules));
        var (id, step, attempt) = (command.ActivationId, command.Step, command.Attempt);
        var plan = PlanFor(step);
        if (attempt <= plan.TransientFailures)
        {
            return new ActivationStepFailed(id, step, attempt, $"{step} busy (attempt {attempt})", Transient: true);
        }

        return plan.Outcome switch
        {
            Outcome.Skip => new ActivationStepCompleted(id, step, attempt, Skipped: true, SkipReason(step)),
            Outcome.FailPermanently => new ActivationStepFailed(id, step, attempt, PermanentReason(step), Transient: false),
            Outcome.NeverAnswer => null,
            _ when step == ActivationStep.CompileResult =>
                new ActivationResultCompiled(id, attempt, ActivationSagaTestData.Result(id, command.TenantId, command.Modules)),
            _ when step == ActivationStep.ApplyIndustryPreset => new ActivationStepCompleted(
                id,
                step,
                attempt,
                Skipped: false,
                "preset applied",
                new Dictionary<string, string> { ["modules"] = ActivationSagaTestData.PresetModules }),
            _ => new ActivationStepCompleted(id, step, attempt, Skipped: false, $"{step} done"),
        };
    }

    /// <summary>Records the compensation command and returns its reply, or null for no reply.</summary>
    public object? AnswerCompensation(IActivationCompensationCommand command)
    {
        _compensations.Enqueue(command.Step);
        if (_silentCompensations.Contains(command.Step))
        {
            return null;
        }

        return _failingCompensations.Contains(command.Step)
            ? new ActivationStepCompensationFailed(command.ActivationId, command.Step, $"could not undo {command.Step}")
            : new ActivationStepCompensated(command.ActivationId, command.Step, $"{command.Step} undone");
    }

    private Plan PlanFor(ActivationStep step) => _plans.TryGetValue(step, out var plan) ? plan : new Plan(Outcome.Complete, 0);

    private sealed record Plan(Outcome Outcome, int TransientFailures);
}

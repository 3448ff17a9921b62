namespace BacBos.Consumers.Activation.Steps;

/// <summary>What one step attempt achieved.</summary>
public sealed record StepOutcome(bool Skipped, string Detail, IReadOnlyDictionary<string, string>? Outputs = null)
{
    public static StepOutcome Done(string detail, IReadOnlyDictionary<string, string>? outputs = null) => new(false, detail, outputs);

    public static StepOutcome Skip(string reason, IReadOnlyDictionary<string, string>? outputs = null) => new(true, reason, outputs);
}

/// <summary>A failure that retrying cannot fix (bad input, a missing prerequisite): the saga compensates at once.</summary>
public sealed class PermanentStepException(string message) : Exception(message);

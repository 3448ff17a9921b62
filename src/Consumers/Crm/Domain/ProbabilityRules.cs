namespace BacBos.Consumers.Crm.Domain;

/// <summary>An opportunity's win probability in percent and whether a person set it.</summary>
public readonly record struct Probability(decimal Percent, bool Overridden);

/// <summary>
/// How an opportunity's probability follows its stage: entering a stage sets the stage's seeded probability; a manual
/// value (an override) is kept until the stage changes; clearing the override (null) goes back to the stage's value;
/// a closed stage fixes it — won 100 %, lost 0 % — whatever was set before.
/// </summary>
public static class ProbabilityRules
{
    public const decimal Min = 0m;
    public const decimal Max = 100m;

    /// <param name="stage">The stage after the change.</param>
    /// <param name="stageChanged">True when this change moves the opportunity to <paramref name="stage"/>.</param>
    /// <param name="current">The probability before the change (ignored for a new opportunity).</param>
    /// <param name="requested">
    /// Absent when the change does not mention the probability; present with null to clear an override; present with a
    /// value to set one.
    /// </param>
    public static Probability Apply(PipelineStage stage, bool stageChanged, Probability current, Requested<decimal?> requested)
    {
        if (stage.IsClosed)
        {
            return new Probability(stage.IsWon ? Max : Min, Overridden: false);
        }

        if (requested.IsSet)
        {
            return requested.Value is { } manual ? new Probability(manual, Overridden: true) : new Probability(stage.DefaultProbability, Overridden: false);
        }

        return stageChanged ? new Probability(stage.DefaultProbability, Overridden: false) : current;
    }

    /// <summary>The probability of a new opportunity in <paramref name="stage"/>.</summary>
    public static Probability Initial(PipelineStage stage, decimal? requested) =>
        Apply(stage, stageChanged: true, default, requested is { } value ? Requested<decimal?>.Of(value) : Requested<decimal?>.Absent);

    /// <summary>A valid manual probability: 0 to 100 with at most two decimals.</summary>
    public static bool IsValid(decimal value) => value is >= Min and <= Max && decimal.Round(value, 2) == value;
}

/// <summary>A value a change may or may not mention (absent differs from an explicit null).</summary>
public readonly record struct Requested<T>(bool IsSet, T Value)
{
    public static Requested<T> Absent => default;

    public static Requested<T> Of(T value) => new(true, value);
}

namespace BacBos.Consumers.Crm.Domain;

/// <summary>
/// The opportunity state machine over a tenant's <see cref="Pipeline"/>. From an open stage an opportunity may move
/// forward to any later open stage (a deal can skip a stage), back by exactly one open stage (a negotiation that needs
/// a new proposal), or close as won or lost. Moving further back is refused: a deal that starts over is a new
/// opportunity, and the history stays readable. Closed stages are terminal: a closed opportunity changes no more.
/// </summary>
public static class OpportunityLifecycle
{
    /// <summary>Every stage reachable from <paramref name="current"/> in one move, in pipeline order.</summary>
    public static IReadOnlyList<string> AllowedFrom(Pipeline pipeline, string current)
    {
        var stage = pipeline[current];
        if (stage.IsClosed)
        {
            return [];
        }

        var index = IndexOfOpen(pipeline, stage);
        return pipeline.Stages
            .Where(s => s.IsClosed || IndexOfOpen(pipeline, s) > index || IndexOfOpen(pipeline, s) == index - 1)
            .Select(s => s.Code)
            .ToList();
    }

    public static Transition Decide(Pipeline pipeline, string current, string target)
    {
        _ = pipeline[target];
        if (current == target)
        {
            return Transition.NoChange;
        }

        return AllowedFrom(pipeline, current).Contains(target) ? Transition.Allowed : Transition.Illegal;
    }

    private static int IndexOfOpen(Pipeline pipeline, PipelineStage stage)
    {
        for (var i = 0; i < pipeline.Open.Count; i++)
        {
            if (pipeline.Open[i].Code == stage.Code)
            {
                return i;
            }
        }

        return -1;
    }
}

using BacBos.Consumers.Crm.Domain;
using BacBos.Consumers.Crm.Storage;

namespace BacBos.Consumers.Crm.Opportunities;

/// <summary>
/// The pure decision behind every opportunity change: refuse it (closed opportunities change no more, illegal stage
/// moves, a probability on a closing change, an amount finer than the currency's minor units) or compute the new row
/// — stage, probability per <see cref="ProbabilityRules"/>, closed_at and reason when it closes.
/// </summary>
public static class OpportunityChange
{
    public sealed record Decision(CrmResult<OpportunityRow>? Result, OpportunityRow? After);

    public static Decision Decide(Pipeline pipeline, OpportunityRow row, OpportunityPatch patch, string? reason, DateTimeOffset now)
    {
        var current = pipeline.Find(row.Stage) ?? throw new InvalidOperationException($"Opportunity {row.Id} is in stage '{row.Stage}', which the pipeline does not have.");
        if (current.IsClosed)
        {
            return Refuse(CrmResult<OpportunityRow>.Illegal(
                new CrmConflict("opportunity", row.Stage, []),
                $"The opportunity is closed ('{row.Stage}' at {row.ClosedAt:O}); a closed opportunity does not change any more."));
        }

        var target = current;
        if (patch.Stage.IsSet)
        {
            if (pipeline.Find(patch.Stage.Value) is not { } requested)
            {
                return Refuse(CrmResult<OpportunityRow>.Invalid("stage", $"Unknown stage '{patch.Stage.Value}'; this tenant's pipeline has {string.Join(", ", pipeline.Codes)}."));
            }

            target = requested;

            if (OpportunityLifecycle.Decide(pipeline, current.Code, target.Code) == Transition.Illegal)
            {
                return Refuse(CrmResult<OpportunityRow>.Illegal(
                    new CrmConflict("opportunity", current.Code, OpportunityLifecycle.AllowedFrom(pipeline, current.Code)),
                    $"An opportunity cannot move from '{current.Code}' to '{target.Code}': forward to any later open stage, back by one stage, or closed."));
            }
        }

        if (target.IsClosed && patch.Probability.IsSet)
        {
            return Refuse(CrmResult<OpportunityRow>.Invalid("probability", $"Closing sets the probability ({(target.IsWon ? "won: 100" : "lost: 0")}); do not send one with '{target.Code}'."));
        }

        if (patch.Amount.IsSet && !Money.FitsMinorUnits(patch.Amount.Value, row.Currency))
        {
            return Refuse(CrmResult<OpportunityRow>.Invalid("amount", $"{row.Currency} has {Money.MinorUnits(row.Currency)} decimal place(s); the amount has more."));
        }

        var stageChanged = target.Code != current.Code;
        var probability = ProbabilityRules.Apply(target, stageChanged, new Probability(row.Probability, row.ProbabilityOverridden), patch.Probability);
        var after = row with
        {
            Name = patch.Name.IsSet ? patch.Name.Value : row.Name,
            Amount = patch.Amount.IsSet ? Money.Round(patch.Amount.Value, row.Currency) : row.Amount,
            Stage = target.Code,
            Probability = probability.Percent,
            ProbabilityOverridden = probability.Overridden,
            CloseDate = patch.CloseDate.IsSet ? patch.CloseDate.Value : row.CloseDate,
            ClosedAt = target.IsClosed ? now : null,
            CloseReason = target.IsClosed ? reason : null,
            UpdatedAt = now,
            Sequence = row.Sequence + (stageChanged ? target.IsClosed ? 2 : 1 : 0),
        };
        return after == row with { UpdatedAt = now }
            ? Refuse(CrmResult<OpportunityRow>.Ok(row))
            : new Decision(null, after);
    }

    private static Decision Refuse(CrmResult<OpportunityRow> result) => new(result, null);
}

namespace BacBos.Consumers.Crm.Kafka.Bridge;

/// <summary>What the bridge does with an event, given the aggregate's last produced position.</summary>
public enum BridgeStep
{
    /// <summary>The next event of the aggregate: produce it, then advance the position.</summary>
    Produce,

    /// <summary>Already produced (a redelivery or a second publish of the same event): acknowledge, produce nothing.</summary>
    Duplicate,

    /// <summary>A predecessor has not been produced yet: try again later.</summary>
    Early,

    /// <summary>
    /// Cannot be produced in order, ever: a sequence below 1, or a different event with the sequence number already
    /// produced (two events of one aggregate must not share a sequence number).
    /// </summary>
    Conflict,
}

/// <summary>The aggregate's bridge position: the last sequence produced to Kafka (0 = nothing yet) and its event id.</summary>
public readonly record struct BridgePosition(long LastSequence, Guid? LastEventId);

/// <summary>The ordering rule of the bridge, as a pure function.</summary>
public static class BridgeSequence
{
    public static BridgeStep Decide(BridgePosition position, long sequence, Guid eventId)
    {
        if (sequence < 1)
        {
            return BridgeStep.Conflict;
        }

        if (sequence == position.LastSequence + 1)
        {
            return BridgeStep.Produce;
        }

        if (sequence > position.LastSequence + 1)
        {
            return BridgeStep.Early;
        }

        // sequence ≤ last: produced before. Only the latest event id is kept, so an older sequence counts as a duplicate.
        return sequence == position.LastSequence && position.LastEventId is { } last && last != eventId
            ? BridgeStep.Conflict
            : BridgeStep.Duplicate;
    }
}

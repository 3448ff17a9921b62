using BacBos.Consumers.Crm.Kafka.Bridge;

namespace BacBos.Behaviour.Tests.Crm.Kafka;

public class When_deciding_the_bridge_position
{
    private static readonly Guid Produced = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid Other = Guid.Parse("22222222-2222-2222-2222-222222222222");

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(41, 42)]
    public void Should_produce_the_next_event(long last, long sequence) =>
        Assert.Equal(BridgeStep.Produce, BridgeSequence.Decide(new BridgePosition(last, last == 0 ? null : Produced), sequence, Other));

    [Theory]
    [InlineData(0, 2)]
    [InlineData(0, 7)]
    [InlineData(3, 5)]
    public void Should_wait_for_a_missing_predecessor(long last, long sequence) =>
        Assert.Equal(BridgeStep.Early, BridgeSequence.Decide(new BridgePosition(last, last == 0 ? null : Produced), sequence, Other));

    [Fact]
    public void Should_treat_the_last_produced_event_again_as_a_duplicate() =>
        Assert.Equal(BridgeStep.Duplicate, BridgeSequence.Decide(new BridgePosition(3, Produced), 3, Produced));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Should_treat_an_event_before_the_last_produced_as_a_duplicate(long sequence) =>
        Assert.Equal(BridgeStep.Duplicate, BridgeSequence.Decide(new BridgePosition(3, Produced), sequence, Other));

    [Fact]
    public void Should_refuse_a_different_event_with_the_sequence_already_produced() =>
        Assert.Equal(BridgeStep.Conflict, BridgeSequence.Decide(new BridgePosition(3, Produced), 3, Other));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Should_refuse_a_sequence_below_one(long sequence) =>
        Assert.Equal(BridgeStep.Conflict, BridgeSequence.Decide(new BridgePosition(0, null), sequence, Other));

    [Fact]
    public void Should_produce_an_ordered_stream_whatever_the_arrival_order()
    {
        // Arrivals 3, 1, 3 (again), 2, 1 (again), 4: replaying each early arrival after every production, like the
        // scheduler's redelivery does, yields 1, 2, 3, 4 exactly once.
        var position = new BridgePosition(0, null);
        var pending = new List<long>();
        var produced = new List<long>();
        foreach (var arrival in new long[] { 3, 1, 3, 2, 1, 4 })
        {
            pending.Add(arrival);
            bool progressed;
            do
            {
                progressed = false;
                foreach (var sequence in pending.ToList())
                {
                    switch (BridgeSequence.Decide(position, sequence, EventId(sequence)))
                    {
                        case BridgeStep.Produce:
                            produced.Add(sequence);
                            position = new BridgePosition(sequence, EventId(sequence));
                            pending.Remove(sequence);
                            progressed = true;
                            break;
                        case BridgeStep.Duplicate:
                            pending.Remove(sequence);
                            break;
                    }
                }
            }
            while (progressed);
        }

        Assert.Equal([1, 2, 3, 4], produced);
        Assert.Empty(pending);
    }

    private static Guid EventId(long sequence) => new((int)sequence, 0, 0, new byte[8]);
}

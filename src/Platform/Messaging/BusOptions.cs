namespace BacBos.Platform.Messaging;

/// <summary>Which transport carries messages.</summary>
public enum BusTransport
{
    /// <summary>Embedded default: MassTransit's in-memory transport (one process).</summary>
    InMemory,

    /// <summary>Production: RabbitMQ (quorum queues) at <c>ConnectionStrings:RabbitMq</c>.</summary>
    RabbitMq,
}

/// <summary>Configuration section <c>Bus</c>.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>Prefix of every queue and exchange this system declares (<c>bacbos-activation-state</c>, …).</summary>
    public string EndpointPrefix { get; set; } = "bacbos";

    /// <summary>Declare receive queues as quorum queues (replicated) on RabbitMQ.</summary>
    public bool QuorumQueues { get; set; } = true;

    public int PrefetchCount { get; set; } = 32;

    /// <summary>How long the bus may stay unhealthy (reconnecting) before <c>/health/live</c> fails and the process should be restarted.</summary>
    public TimeSpan UnhealthyLivenessAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The longest one send or publish to the broker may take before it is abandoned and retried (see
    /// <see cref="BoundedSend"/>); also the delivery timeout of the consumers' outbox. Far above a healthy publish
    /// (milliseconds), below the step deadlines.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// When a receive endpoint's channel dies (broker restart, connection loss), MassTransit stops its consumer and waits
    /// for the deliveries in flight before it reconnects the endpoint — without a limit by default, so one consume that
    /// never finishes keeps the endpoint without a consumer for good while health still says ready. After this long the
    /// consumes still running have their cancellation token cancelled (MassTransit's <c>ConsumerStopTimeout</c>).
    /// </summary>
    public TimeSpan ConsumerStopTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The longest wait for a stopping consumer (after <see cref="ConsumerStopTimeout"/>): the endpoint then reconnects
    /// even if a consume ignores its token; that message was on the dead channel and the broker delivers it again.
    /// Also bounds a graceful shutdown's wait for consumes in flight.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Immediate retry intervals (milliseconds) applied to every endpoint for infrastructure faults.</summary>
    public int[] RetryIntervalsMs { get; set; } = [50, 250, 1000];

    /// <summary>
    /// Scheduled redelivery intervals (milliseconds) after the immediate retries are used up; the message goes back to
    /// the queue through the scheduler and waits without holding a consumer. Empty disables redelivery.
    /// </summary>
    public int[] RedeliveryIntervalsMs { get; set; } = [5_000, 30_000, 120_000];

    /// <summary>Fault injection for the test suite; never enable in production.</summary>
    public BusTestingOptions Testing { get; set; } = new();
}

/// <summary>Configuration section <c>Bus:Testing</c>.</summary>
public sealed class BusTestingOptions
{
    /// <summary>Deliver every received message twice (see <see cref="DuplicateDeliveryFilter"/>).</summary>
    public bool DuplicateEveryMessage { get; set; }
}

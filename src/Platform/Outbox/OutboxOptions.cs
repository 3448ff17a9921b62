namespace BacBos.Platform.Outbox;

/// <summary>Configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How long a consumed message's inbox row is kept to recognise a redelivery (duplicate detection window).</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often delivered inbox rows older than the window are removed.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the bus outbox looks for messages not yet delivered (it is also woken after each commit).</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages delivered per bus-outbox transaction.</summary>
    public int DeliveryBatchSize { get; set; } = 100;
}

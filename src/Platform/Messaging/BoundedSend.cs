namespace BacBos.Platform.Messaging;

/// <summary>
/// A deadline for one send or publish to the broker. RabbitMQ.Client 7.2 can leave a publish waiting for its publisher
/// confirm forever when the connection drops at the wrong moment (it never completes, even after the bus has
/// reconnected), so every send we start ourselves — outside a consume's outbox, which has its own delivery timeout —
/// carries this token: a send that does not finish in <see cref="BusOptions.SendTimeout"/> fails and is retried by its
/// caller (the scheduler job refires, the bus outbox delivers again) on the recovered connection.
/// </summary>
public static class BoundedSend
{
    /// <summary>A token cancelled after <paramref name="timeout"/> or with <paramref name="cancellationToken"/>; dispose it after the send.</summary>
    public static CancellationTokenSource Within(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(timeout);
        return source;
    }
}
